import type { Protocol } from '../protocol';
import { geminiProtocol } from './index';
import { decodeCountTokensRequest, decodeCountTokensResponse, encodeCountTokensRequest, encodeCountTokensResponse } from './count-tokens';
import { renderGeminiModel, renderGeminiModelList } from './models';

/**
 * Gemini as served. The model and the action live in the path,
 * `/v1beta/models/{model}:{action}`; the route table matches the longest action first, so a
 * model is never read as `…:stream…`.
 */
export const geminiModule: Protocol = {
  ...geminiProtocol,
  countTokens: {
    decodeRequest: decodeCountTokensRequest,
    encodeResponse: encodeCountTokensResponse,
    encodeRequest: encodeCountTokensRequest,
    decodeResponse: decodeCountTokensResponse,
  },
  errorPaths: ['/v1beta'],
  routes: [
    { id: 'gemini-models', method: 'GET', path: '/v1beta/models', access: 'client-key', handler: { kind: 'models', render: renderGeminiModelList } },
    {
      id: 'gemini-model',
      method: 'GET',
      path: '/v1beta/models/{model}',
      access: 'client-key',
      handler: { kind: 'endpoint', answer: ({ model, models }) => renderGeminiModel(model ?? '', models()) },
    },
    {
      id: 'gemini-generate',
      method: 'POST',
      path: '/v1beta/models/{model}:generateContent',
      access: 'client-key',
      hot: true,
      handler: { kind: 'generate', stream: () => false },
    },
    {
      id: 'gemini-stream-generate',
      method: 'POST',
      path: '/v1beta/models/{model}:streamGenerateContent',
      access: 'client-key',
      hot: true,
      handler: { kind: 'generate', stream: () => true },
    },
    { id: 'gemini-count-tokens', method: 'POST', path: '/v1beta/models/{model}:countTokens', access: 'client-key', hot: true, handler: { kind: 'count-tokens' } },
    { id: 'gemini-embed', method: 'POST', path: '/v1beta/models/{model}:embedContent', access: 'client-key', handler: { kind: 'delegated' } },
    { id: 'gemini-batch-embed', method: 'POST', path: '/v1beta/models/{model}:batchEmbedContents', access: 'client-key', handler: { kind: 'delegated' } },
  ],
};
