import { defineProvider } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { openaiStyle } from '../../models/list-source';

/** Any OpenAI Chat Completions server; `base-url` includes the version segment (…/v1). */
export const provider = defineProvider({
  id: 'openai-compatibility',
  displayName: 'OpenAI-compatible',
  protocol: 'openai-chat',
  kind: 'api-key',
  capabilities: { embeddings: true, images: true },
  configSection: { section: 'openai-compatibility', entryNoun: 'openai-compatible', baseUrlRequired: true },
  catalog: [],
  modelList: openaiStyle((a) => a.baseUrl ?? 'https://api.openai.com/v1'),
  defaultBaseUrl: 'https://api.openai.com/v1',
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
});

/** The folder's module under its older name (tests and neighbours import it). */
export const openaiCompatibilityProvider = provider;
