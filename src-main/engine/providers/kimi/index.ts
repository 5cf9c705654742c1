import type { ProviderDescriptor } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';

const BASE = 'https://api.kimi.com/coding/v1';

/** Kimi Code subscription: OpenAI chat with the device-flow token. */
export const kimiProvider: ProviderDescriptor = {
  id: 'kimi',
  displayName: 'Kimi',
  protocol: 'openai-chat',
  kind: 'oauth',
  defaultBaseUrl: BASE,
  defaultModels: ['kimi-for-coding', 'kimi-k2-thinking'],
  buildRequest(call) {
    return {
      url: `${BASE}/chat/completions`,
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          'user-agent': 'KimiCLI/1.0',
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
};
