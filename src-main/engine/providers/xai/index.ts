import type { ProviderDescriptor } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';

const BASE = 'https://api.x.ai/v1';

/** xAI (SuperGrok) sign-in: the Responses API with the device-flow token. */
export const xaiProvider: ProviderDescriptor = {
  id: 'xai',
  displayName: 'xAI (Grok)',
  protocol: 'openai-responses',
  kind: 'oauth',
  defaultBaseUrl: BASE,
  defaultModels: ['grok-code-fast-1', 'grok-4', 'grok-4-fast'],
  buildRequest(call) {
    return {
      url: `${BASE}/responses`,
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
};
