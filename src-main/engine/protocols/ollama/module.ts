import type { Protocol } from '../protocol';
import { wantsStream } from './decode-request';
import { renderShow, renderTags, renderVersion } from './models';
import { createOllamaProtocol } from './ollama-protocol';

/**
 * Ollama's native API as served on the same port: model in the body, NDJSON streams unless
 * `"stream": false`. Never passthrough (no upstream speaks it); each request gets its own codec
 * instance, which starts the clock of the closing object's durations.
 */
export const ollamaModule: Protocol = {
  ...createOllamaProtocol('chat'),
  errorPaths: ['/api/'],
  routes: [
    {
      id: 'ollama-chat',
      method: 'POST',
      path: '/api/chat',
      access: 'client-key',
      hot: true,
      handler: { kind: 'generate', stream: wantsStream, passthrough: false, protocol: () => createOllamaProtocol('chat') },
    },
    {
      id: 'ollama-generate',
      method: 'POST',
      path: '/api/generate',
      access: 'client-key',
      hot: true,
      handler: { kind: 'generate', stream: wantsStream, passthrough: false, protocol: () => createOllamaProtocol('generate') },
    },
    { id: 'ollama-tags', method: 'GET', path: '/api/tags', access: 'client-key', handler: { kind: 'models', render: (models) => renderTags(models) } },
    {
      id: 'ollama-show',
      method: 'POST',
      path: '/api/show',
      access: 'client-key',
      handler: {
        kind: 'endpoint',
        body: { model: (body) => body.model ?? body.name },
        answer: ({ model, models }) => renderShow(model ?? '', models()),
      },
    },
    { id: 'ollama-version', method: 'GET', path: '/api/version', access: 'client-key', handler: { kind: 'endpoint', answer: () => ({ json: renderVersion() }) } },
  ],
};
