import type { ProviderDescriptor } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { builtinIds } from '../../models/builtin-catalog';
import { kimiIdentityHeaders } from './identity';

const BASE = 'https://api.kimi.com/coding/v1';

/** Kimi Code subscription: OpenAI chat with the device-flow token and kimi-cli's device identity. */
export const kimiProvider: ProviderDescriptor = {
  id: 'kimi',
  displayName: 'Kimi',
  protocol: 'openai-chat',
  kind: 'oauth',
  defaultBaseUrl: BASE,
  defaultModels: builtinIds('kimi'),
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
};
