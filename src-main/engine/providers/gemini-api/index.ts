import type { ProviderDescriptor, UpstreamCall } from '../provider';
import { readGoogleFailure } from './reset-hints';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { builtinIds } from '../../models/builtin-catalog';

export function geminiAction(call: UpstreamCall): string {
  switch (call.operation) {
    case 'count-tokens':
      return 'countTokens';
    case 'embed':
      return 'batchEmbedContents';
    default:
      return call.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  }
}

/** Google AI Studio keys; `base-url` is the origin, the engine appends /v1beta/models/{model}:{action}. */
export const geminiApiProvider: ProviderDescriptor = {
  id: 'gemini-api',
  displayName: 'Gemini API',
  protocol: 'gemini',
  kind: 'api-key',
  readFailure: readGoogleFailure,
  countTokens: true,
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  defaultModels: builtinIds('gemini-api'),
  buildRequest(call) {
    const base = call.account.baseUrl ?? this.defaultBaseUrl;
    return {
      url: joinUrl(base, `v1beta/models/${encodeURIComponent(call.upstreamModel)}:${geminiAction(call)}`),
      method: 'POST',
      headers: withCustomHeaders(
        { 'content-type': 'application/json', 'x-goog-api-key': call.credential },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
};
