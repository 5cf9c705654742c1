import type { Protocol } from '../protocol';
import { openaiChatProtocol } from './chat-protocol';
import { legacyCompletionsProtocol } from './legacy-protocol';
import { renderModelsForCaller } from './models';
import { ChatPassthroughGuard } from './passthrough-guard';

const bodyStream = (body: Record<string, unknown>) => body.stream === true;

/** OpenAI's wire format as served: codecs, passthrough watcher, routes (media ones answered by the engine's routers). */
export const openaiChatModule: Protocol = {
  ...openaiChatProtocol,
  createPassthroughGuard: () => new ChatPassthroughGuard(),
  errorPaths: ['/'],
  routes: [
    { id: 'openai-chat', method: 'POST', path: '/v1/chat/completions', access: 'client-key', hot: true, handler: { kind: 'generate', stream: bodyStream } },
    // Its bytes are not chat bytes: always translated.
    {
      id: 'openai-completions',
      method: 'POST',
      path: '/v1/completions',
      access: 'client-key',
      hot: true,
      handler: { kind: 'generate', stream: bodyStream, passthrough: false, protocol: () => legacyCompletionsProtocol },
    },
    { id: 'models', method: 'GET', path: '/v1/models', access: 'client-key', handler: { kind: 'models', render: renderModelsForCaller } },
    { id: 'openai-embeddings', method: 'POST', path: '/v1/embeddings', access: 'client-key', handler: { kind: 'delegated' } },
    { id: 'openai-image-generations', method: 'POST', path: '/v1/images/generations', access: 'client-key', handler: { kind: 'delegated' } },
    { id: 'openai-image-edits', method: 'POST', path: '/v1/images/edits', access: 'client-key', handler: { kind: 'delegated' } },
  ],
};
