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
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Stage 1 of every stream: upstream bytes → SSE events, one chunk per read, pulled lazily so
 * nothing is read from the upstream before the next stage asks (backpressure). Lines and events
 * are bounded by `maxLineChars` (`limits.sse-line-kb`): SseLineTooLongError is thrown. Leaving
 * early (`return()`) closes the upstream body.
 */
export function sseChunks(body: AsyncIterable<unknown>, maxLineChars?: number): SseChunkReader {
  return new SseChunkReader(body, maxLineChars);
}

/**
 * The reader behind `sseChunks`: a plain iterator rather than an async generator, because it is
 * pulled once per upstream read and a generator's extra promise and resumption per chunk showed
 * in the profiles. It keeps a generator's contract: after the last chunk or an error it is done;
 * a decode error or `return()` closes the body, a failed read does not (the body broke itself).
 */
export class SseChunkReader implements AsyncIterableIterator<SseChunk> {
  private readonly sse: SseDecoder;
  private source?: AsyncIterator<unknown>;
  private state: 'reading' | 'done' = 'reading';

  constructor(
    private readonly body: AsyncIterable<unknown>,
    maxLineChars?: number,
  ) {
    this.sse = new SseDecoder(maxLineChars);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<SseChunk, undefined>> {
    if (this.state === 'done') return DONE;
    this.source ??= this.body[Symbol.asyncIterator]();
    let step: IteratorResult<unknown>;
    try {
      step = await this.source.next();
    } catch (err) {
      this.state = 'done';
      throw err;
    }
    if (step.done) {
      this.state = 'done';
      return { done: false, value: { bytes: NO_BYTES, events: this.sse.end(), end: true } };
    }
    const bytes = step.value as Buffer;
    try {
      return { done: false, value: { bytes, events: this.sse.push(bytes) } };
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async return(): Promise<IteratorResult<SseChunk, undefined>> {
    await this.close();
    return DONE;
  }

  private async close(): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'done';
    try {
      await this.source?.return?.();
    } catch {
      // Closing a broken body: the error that stopped us is the one that counts.
    }
  }
}
