import { defineProvider } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { kimiIdentityHeaders } from './identity';
import { m, TEXT_TOOLS } from '../../models/shared-catalog';
import { openaiStyle } from '../../models/list-source';
import { kimiAuth } from './auth';
import { kimiQuota } from './quota';

const BASE = 'https://api.kimi.com/coding/v1';

/** Kimi Code subscription: OpenAI chat with the device-flow token and kimi-cli's device identity. */
export const provider = defineProvider({
  id: 'kimi',
  displayName: 'Kimi',
  protocol: 'openai-chat',
  kind: 'oauth',
  auth: kimiAuth,
  quota: kimiQuota,
  catalog: [
    m('kimi-for-coding', 262_144, 32_768, TEXT_TOOLS, 'Kimi for Coding'),
    m('kimi-k2-thinking', 262_144, 32_768, TEXT_TOOLS, 'Kimi K2 Thinking'),
  ],
  modelList: openaiStyle(() => BASE, (a) => kimiIdentityHeaders(a.meta.device_id)),
  modelFamilies: [/^kimi-/i],
  owner: 'moonshot',
  defaultBaseUrl: BASE,
  buildRequest(call) {
    return {
      url: `${BASE}/chat/completions`,
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          ...kimiIdentityHeaders(call.account.meta.device_id),
          authorization: `Bearer ${call.credential}`,
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
});

/** The folder's module under its older name (tests and neighbours import it). */
export const kimiProvider = provider;
