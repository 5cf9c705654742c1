import { defineProvider } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { xaiIdentityHeaders, xaiUserId } from './identity';
import { ALL, m, TEXT_TOOLS } from '../../models/shared-catalog';
import { openaiStyle } from '../../models/list-source';
import { xaiAuth } from './auth';
import { xaiQuota } from './quota';

const BASE = 'https://api.x.ai/v1';

/** xAI (SuperGrok) sign-in: the Responses API with the device-flow token and the Grok CLI's client headers. */
export const provider = defineProvider({
  id: 'xai',
  displayName: 'xAI (Grok)',
  protocol: 'openai-responses',
  kind: 'oauth',
  auth: xaiAuth,
  quota: xaiQuota,
  catalog: [
    m('grok-code-fast-1', 256_000, 64_000, TEXT_TOOLS, 'Grok Code Fast 1'),
    m('grok-4', 256_000, 64_000, ALL, 'Grok 4'),
    m('grok-4-fast', 2_000_000, 64_000, ALL, 'Grok 4 Fast'),
  ],
  modelList: openaiStyle(() => BASE, (a) => xaiIdentityHeaders(xaiUserId(a.meta))),
  modelFamilies: [/^grok-/i],
  owner: 'xai',
  defaultBaseUrl: BASE,
  buildRequest(call) {
    return {
      url: `${BASE}/responses`,
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          ...xaiIdentityHeaders(xaiUserId(call.account.meta)),
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
});

/** The folder's module under its older name (tests and neighbours import it). */
export const xaiProvider = provider;
