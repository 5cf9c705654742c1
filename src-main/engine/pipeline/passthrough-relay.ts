import type { IrStreamError, IrStreamPart, IrUsage } from '../ir';
import type { Protocol } from '../protocols/protocol';
import { SseDecoder } from '../sse/decoder';
import type { SseEvent } from '../sse/types';
import type { AttemptClock } from './attempt-clock';
import { ModelNameRewriter } from './model-name-rewriter';
import type { ClientSink } from './sink';
import { FirstOutputWatch, noOutputError, streamFailure } from './stream-relay';

export type PassthroughResult =
  | { started: true; usage?: IrUsage; error?: string }
  /** Nothing reached the client: the caller may fail over. */
  | { started: false; error: IrStreamError };

export interface PassthroughOptions {
  names?: { upstreamModel: string; clientModel: string };
  /** `limits.sse-line-kb` in characters. */
  maxLineChars?: number;
  clock?: AttemptClock;
}

/**
 * Same format on both sides: forward the upstream bytes untouched (but for the model name the
 * client sees). Bytes are held back until the upstream produced real output, decoded by the
 * upstream protocol only for that read-ahead, so an error before any output still becomes an
 * HTTP status and a failover. After that a side channel only sniffs usage and watches for a
 * missing terminator; its line cap also bounds what the side decoder holds.
 */
export async function relayPassthrough(
  res: { headers: Record<string, string | string[] | undefined>; body: AsyncIterable<Buffer> | AsyncIterable<unknown> },
  upstream: Protocol,
  sink: ClientSink,
  opts: PassthroughOptions = {},
): Promise<PassthroughResult> {
  const iterator = (res.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const side = new SseDecoder(opts.maxLineChars);
  const guard = upstream.createPassthroughGuard?.();
  const names = opts.names;
  const rename = names && names.upstreamModel !== names.clientModel ? new ModelNameRewriter(names.upstreamModel, names.clientModel) : undefined;
  let usage: IrUsage | undefined;
  const observe = (events: SseEvent[]) => {
    for (const ev of events) {
      guard?.push(ev);
      const u = upstream.sniffUsage?.(ev);
      if (u) usage = { ...usage, ...u };
    }
  };

  // Read ahead until the first output (or an error, or the end).
  const decoder = upstream.createStreamDecoder();
  const watch = new FirstOutputWatch(decoder);
  const held: Buffer[] = [];
  const parts: IrStreamPart[] = [];
  for (;;) {
    let step: IteratorResult<Buffer>;
    try {
      step = await iterator.next();
      const events = step.done ? side.end() : side.push(step.value);
      if (!step.done) held.push(step.value);
      observe(events);
      watch.push(events, parts);
      if (step.done) parts.push(...decoder.end());
    } catch (err) {
      return { started: false, error: streamFailure(err, opts.clock) };
    }
    const err = parts.find((p): p is Extract<IrStreamPart, { type: 'error' }> => p.type === 'error');
    const first = watch.firstAnswer(parts);
    // Only an error that comes before any output can still fail over.
    if (err && (first < 0 || parts.indexOf(err) < first)) return { started: false, error: err.error };
    if (first >= 0) break;
    if (step.done) return { started: false, error: noOutputError(watch.events, held) };
  }

  const type = res.headers['content-type'];
  sink.startStream(typeof type === 'string' ? type : 'text/event-stream');
  const forward = (chunk: Buffer) => sink.write(rename ? rename.push(chunk) : chunk);
  await forward(held.length === 1 ? held[0] : Buffer.concat(held));
  held.length = 0;
  let error: string | undefined;
  while (!sink.signal.aborted) {
    let step: IteratorResult<Buffer>;
    try {
      step = await iterator.next();
      if (step.done) break;
      observe(side.push(step.value));
    } catch (err) {
      if (sink.signal.aborted) break;
      const e = streamFailure(err, opts.clock);
      error = e.message;
      if (rename) await sink.write(rename.end());
      await sink.write(upstream.encodeStreamError({ status: e.status, message: error, kind: e.status === 504 ? 'timeout' : 'upstream' }));
      break;
    }
    await forward(step.value);
  }
  if (!sink.signal.aborted) {
    if (!error) observe(side.end());
    const tail = (rename ? rename.end().toString('utf8') : '') + (!error && guard ? guard.end() : '');
    sink.end(tail || undefined);
  }
  return { started: true, usage, error };
}
