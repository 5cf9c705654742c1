import type { ProviderDescriptor } from '../provider';
import { readGoogleFailure } from '../gemini-api/reset-hints';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { geminiAction } from '../gemini-api';
import { builtinIds } from '../../models/builtin-catalog';

/** Vertex AI with an API key (express mode): publishers/google/models/{model}:{action}. */
export const vertexProvider: ProviderDescriptor = {
  id: 'vertex',
  displayName: 'Vertex AI',
  protocol: 'gemini',
  kind: 'api-key',
  readFailure: readGoogleFailure,
  countTokens: true,
  defaultBaseUrl: 'https://aiplatform.googleapis.com',
  defaultModels: builtinIds('vertex'),
  buildRequest(call) {
    const base = call.account.baseUrl ?? this.defaultBaseUrl;
    return {
      url: joinUrl(base, `v1/publishers/google/models/${encodeURIComponent(call.upstreamModel)}:${geminiAction(call)}`),
      method: 'POST',
      headers: withCustomHeaders(
        { 'content-type': 'application/json', 'x-goog-api-key': call.credential },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
};
