import type { Protocol } from '../protocol';
import { openaiResponsesProtocol } from './index';
import { ResponsesPassthroughGuard } from './passthrough-guard';

/** The Responses API as served: codecs, passthrough watcher, routes. */
export const openaiResponsesModule: Protocol = {
  ...openaiResponsesProtocol,
  createPassthroughGuard: () => new ResponsesPassthroughGuard(),
  errorPaths: ['/v1/responses'],
  routes: [
    {
      id: 'openai-responses',
      method: 'POST',
      path: '/v1/responses',
      access: 'client-key',
      hot: true,
      handler: { kind: 'generate', stream: (body) => body.stream === true },
    },
    // Responses over WebSocket (Codex's built-in provider): the upgrade request, authorised like any other.
    { id: 'openai-responses-websocket', method: 'GET', path: '/v1/responses', access: 'client-key', handler: { kind: 'delegated' } },
  ],
};
