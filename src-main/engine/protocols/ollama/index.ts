export { createOllamaProtocol, ollamaProtocol } from './ollama-protocol';
export { wantsStream } from './decode-request';
export { renderShow, renderTags, renderVersion, type ServedModel } from './models';
export { OllamaStreamEncoder } from './encode-stream';
export { ollamaModule } from './module';
