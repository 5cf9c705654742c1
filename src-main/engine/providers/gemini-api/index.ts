import { readGoogleFailure } from './reset-hints';
import { defineProvider, type UpstreamCall } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { GEMINI, GEMINI_MEDIA } from '../../models/shared-catalog';
import { parseGemini, withQuery } from '../../models/list-source';

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
export const provider = defineProvider({
  id: 'gemini-api',
  displayName: 'Gemini API',
  protocol: 'gemini',
  kind: 'api-key',
  readFailure: readGoogleFailure,
  capabilities: { countTokens: true, embeddings: true, images: true },
  configSection: { section: 'gemini-api-key', entryNoun: 'Gemini key' },
  catalog: [...GEMINI, ...GEMINI_MEDIA],
  modelList: {
    request: (a, credential, page) => ({
      url: withQuery(joinUrl(a.baseUrl ?? 'https://generativelanguage.googleapis.com', 'v1beta/models'), { pageSize: '1000', pageToken: page }),
      method: 'GET',
      headers: withCustomHeaders({ 'x-goog-api-key': credential, accept: 'application/json' }, a.headers),
    }),
    parse: parseGemini,
  },
  modelFamilies: [/^gemini-/i],
  owner: 'google',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
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
});

/** The folder's module under its older name (tests and neighbours import it). */
export const geminiApiProvider = provider;
