import { readGoogleFailure } from '../gemini-api/reset-hints';
import { defineProvider } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { geminiAction } from '../gemini-api';
import { byId, GEMINI, GEMINI_MEDIA } from '../../models/shared-catalog';

/** Vertex AI with an API key (express mode): publishers/google/models/{model}:{action}. */
export const provider = defineProvider({
  id: 'vertex',
  displayName: 'Vertex AI',
  protocol: 'gemini',
  kind: 'api-key',
  readFailure: readGoogleFailure,
  capabilities: { countTokens: true, embeddings: true, images: true },
  configSection: { section: 'vertex-api-key', entryNoun: 'Vertex key' },
  // Vertex express keys have no model list: the catalog plus family routing.
  catalog: [...byId(GEMINI, ['gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite']), ...GEMINI_MEDIA.slice(0, 2)],
  modelFamilies: [/^gemini-/i],
  owner: 'google',
  defaultBaseUrl: 'https://aiplatform.googleapis.com',
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
});

/** The folder's module under its older name (tests and neighbours import it). */
export const vertexProvider = provider;
