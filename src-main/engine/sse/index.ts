export { sseChunks, type SseChunk } from './chunks';
export { SseDecoder, SseLineTooLongError } from './decoder';
export { encodeSse, sseData, sseNamed } from './encoder';
export type { SseEvent } from './types';
