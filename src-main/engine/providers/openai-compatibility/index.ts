import type { ProviderDescriptor } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';

/** Any OpenAI Chat Completions server; `base-url` includes the version segment (…/v1). */
export const openaiCompatibilityProvider: ProviderDescriptor = {
  id: 'openai-compatibility',
  displayName: 'OpenAI-compatible',
  protocol: 'openai-chat',
  kind: 'api-key',
  defaultBaseUrl: 'https://api.openai.com/v1',
  defaultModels: [],
  buildRequest(call) {
    const path = call.operation === 'embed' ? 'embeddings' : call.operation === 'image' ? 'images/generations' : 'chat/completions';
    return {
      url: joinUrl(call.account.baseUrl ?? this.defaultBaseUrl, path),
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
