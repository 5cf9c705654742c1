import { SseDecoder } from './decoder';
import type { SseEvent } from './types';

/** One upstream read and the SSE events it completed. */
export interface SseChunk {
  /** The bytes as received (passthrough forwards exactly these). */
  bytes: Buffer;
  events: SseEvent[];
  /** The upstream ended: the last chunk, holding what `SseDecoder.end()` flushed. */
  end?: true;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * Stage 1 of every stream: upstream bytes → SSE events, one chunk per read, pulled lazily so
 * nothing is read from the upstream before the next stage asks (backpressure). Lines and events
 * are bounded by `maxLineChars` (`limits.sse-line-kb`): SseLineTooLongError is thrown. Leaving
 * early (`return()`) closes the upstream body through the inner `for await`.
 */
export async function* sseChunks(body: AsyncIterable<unknown>, maxLineChars?: number): AsyncGenerator<SseChunk, void, undefined> {
  const sse = new SseDecoder(maxLineChars);
  for await (const read of body) {
    const bytes = read as Buffer;
    yield { bytes, events: sse.push(bytes) };
  }
  yield { bytes: NO_BYTES, events: sse.end(), end: true };
}
