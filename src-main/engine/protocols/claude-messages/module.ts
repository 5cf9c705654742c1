import type { Protocol } from '../protocol';
import { claudeMessagesProtocol } from './index';
import { decodeCountTokensRequest, decodeCountTokensResponse, encodeCountTokensRequest, encodeCountTokensResponse } from './count-tokens';
import { hasForeignThinking } from './signatures';

/** Anthropic Messages as served: codecs, token counting, passthrough rule, routes. */
export const claudeMessagesModule: Protocol = {
  ...claudeMessagesProtocol,
  countTokens: {
    decodeRequest: decodeCountTokensRequest,
    encodeResponse: encodeCountTokensResponse,
    encodeRequest: encodeCountTokensRequest,
    decodeResponse: decodeCountTokensResponse,
  },
  // Thinking signed by another vendor must be filtered before Anthropic sees it.
  canPassThrough: (body) => !hasForeignThinking(body),
  errorPaths: ['/v1/messages'],
  routes: [
    {
      id: 'claude-messages',
      method: 'POST',
      path: '/v1/messages',
      access: 'client-key',
      hot: true,
      handler: { kind: 'generate', stream: (body) => body.stream === true },
    },
    { id: 'claude-count-tokens', method: 'POST', path: '/v1/messages/count_tokens', access: 'client-key', hot: true, handler: { kind: 'count-tokens' } },
  ],
};
