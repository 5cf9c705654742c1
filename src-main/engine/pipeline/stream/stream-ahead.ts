/*
 * The stream pipeline, one stage per file, each pulled by the next (nothing is read from the
 * upstream before the client's socket can take more):
 *   ../../sse/chunks.ts    upstream bytes → SSE events (bounded by limits.sse-line-kb)
 *   first-output.ts        provider unwrap + protocol decode → IR parts; when has it answered?
 *   read-ahead.ts          hold everything until then (the one read-ahead, all paths)
 *   encode.ts              IR parts → the client's format            (translated streams)
 *   ../passthrough-relay.ts the bytes as received, model renamed       (same format both sides)
 *   pump.ts                the client's socket: backpressure, keep-alive comments
 */
import type { IrStreamError, IrStreamPart } from '../../ir';
import { sseChunks, type SseChunk } from '../../sse/chunks';
import type { AttemptClock } from '../attempt-clock';
import { FirstOutputJudge, streamFailure, type FirstOutputWatch } from './first-output';
import { readAhead } from './read-ahead';

/** An upstream stream read up to its first output, ready to be relayed or folded. */
export interface StreamAheadOk {
  error?: undefined;
  /** Chunks read ahead, bytes as received (passthrough replays these). */
  held: SseChunk[];
  /** Their IR parts, start … first output (translation replays these). */
  parts: IrStreamPart[];
  /** The rest of the upstream stream. */
  rest: AsyncIterator<SseChunk>;
  /** The decoder that read ahead; it goes on decoding the rest (its state carries over). */
  watch: FirstOutputWatch;
  clock?: AttemptClock;
}

/** Nothing reached the client: the caller fails over. */
export type StreamAhead = StreamAheadOk | { error: IrStreamError };

export interface StreamAheadOptions {
  /** `limits.sse-line-kb` in characters. */
  maxLineChars?: number;
  /** `limits.upstream-body-mb` in bytes: most a stream may send before its first output. */
  maxBytes?: number;
  clock?: AttemptClock;
}

/**
 * Stages 1–4 up to the first output, for both stream paths: upstream bytes → SSE events →
 * provider unwrap and protocol decode (in `watch`) → IR parts, judged by FirstOutputJudge.
 */
export async function readAheadStream(body: AsyncIterable<unknown>, watch: FirstOutputWatch, opts: StreamAheadOptions = {}): Promise<StreamAhead> {
  const judge = new FirstOutputJudge(watch, opts.maxBytes, opts.clock);
  const ahead = await readAhead(sseChunks(body, opts.maxLineChars), judge);
  if (!ahead.ok) return { error: ahead.error };
  return { held: ahead.held, parts: judge.parts, rest: ahead.rest, watch, clock: opts.clock };
}

/** One chunk after the read-ahead, decoded; `bytes` is its size on the wire. */
export interface DecodedChunk {
  bytes: number;
  parts: IrStreamPart[];
}

/**
 * The rest of a stream through the same decoder. A read or decode failure ends it with an error
 * part (too late to fail over); leaving early closes the upstream body.
 */
export async function* decodeRest(ahead: StreamAheadOk): AsyncGenerator<DecodedChunk, void, undefined> {
  const { rest, watch } = ahead;
  let finished = false;
  try {
    for (;;) {
      const step = await rest.next();
      if (step.done) break;
      yield { bytes: step.value.bytes.length, parts: watch.decode(step.value) };
    }
    finished = true;
  } catch (err) {
    finished = true;
    yield { bytes: 0, parts: [{ type: 'error', error: streamFailure(err, ahead.clock) }] };
  } finally {
    if (!finished) await rest.return?.();
  }
}

/** An AsyncIterator as a `for await` source (breaking out returns it). */
export function iterable<T>(it: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => it };
}
