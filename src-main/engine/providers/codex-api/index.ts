import type { ProviderDescriptor } from '../provider';
import { readCodexFailure } from '../codex/reset-hints';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { builtinIds } from '../../models/builtin-catalog';

/** OpenAI Responses API with a key; `base-url` is the Responses base, the engine appends /responses. */
export const codexApiProvider: ProviderDescriptor = {
  id: 'codex-api',
  displayName: 'OpenAI Responses API',
  protocol: 'openai-responses',
  kind: 'api-key',
  readFailure: readCodexFailure,
  defaultBaseUrl: 'https://api.openai.com/v1',
  defaultModels: builtinIds('codex-api'),
  buildRequest(call) {
    return {
      url: joinUrl(call.account.baseUrl ?? this.defaultBaseUrl, 'responses'),
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
