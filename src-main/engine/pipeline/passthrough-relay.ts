import type { IrStreamError, IrUsage } from '../ir';
import type { Protocol } from '../protocols/protocol';
import { SseDecoder } from '../sse/decoder';
import type { SseEvent } from '../sse/types';
import { ModelNameRewriter } from './model-name-rewriter';
import type { ClientSink } from './sink';
import { toNetworkError, type UpstreamResponse } from './send-upstream';

export type PassthroughResult =
  | { started: true; usage?: IrUsage; error?: string }
  /** Nothing reached the client: the caller may fail over. */
  | { started: false; error: IrStreamError };

/**
 * Same format on both sides: forward the upstream bytes untouched (but for the model name the
 * client sees). Bytes are held back until the upstream produced real output, decoded by the
 * upstream protocol only for that read-ahead, so an error before any output still becomes an
 * HTTP status and a failover. After that a side channel only sniffs usage and watches for a
 * missing terminator.
 */
export async function relayPassthrough(
  res: UpstreamResponse,
  upstream: Protocol,
  sink: ClientSink,
  names?: { upstreamModel: string; clientModel: string },
): Promise<PassthroughResult> {
  const iterator = (res.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const side = new SseDecoder();
  const guard = upstream.createPassthroughGuard?.();
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
  const ahead = upstream.createStreamDecoder();
  const held: Buffer[] = [];
  for (let decided = false; !decided; ) {
    let step: IteratorResult<Buffer>;
    try {
      step = await iterator.next();
    } catch (err) {
      const net = toNetworkError(err);
      return { started: false, error: { status: net.kind === 'timeout' ? 504 : 502, message: net.message } };
    }
    const events = step.done ? side.end() : side.push(step.value);
    if (!step.done) held.push(step.value);
    observe(events);
    const parts = events.flatMap((ev) => ahead.push(ev));
    if (step.done) parts.push(...ahead.end());
    for (const p of parts) {
      // Only an error that comes before any output can still fail over.
      if (p.type === 'error') return { started: false, error: p.error };
      if (p.type !== 'start' && p.type !== 'usage') {
        decided = true;
        break;
      }
    }
    if (step.done && !decided) return { started: false, error: { status: 502, message: 'upstream closed the stream without any output' } };
  }

  const type = res.headers['content-type'];
  sink.startStream(typeof type === 'string' ? type : 'text/event-stream');
  const forward = (chunk: Buffer) => sink.write(rename ? rename.push(chunk) : chunk);
  await forward(held.length === 1 ? held[0] : Buffer.concat(held));
  let error: string | undefined;
  while (!sink.signal.aborted) {
    let step: IteratorResult<Buffer>;
    try {
      step = await iterator.next();
    } catch (err) {
      if (sink.signal.aborted) break;
      error = toNetworkError(err).message;
      if (rename) await sink.write(rename.end());
      await sink.write(upstream.encodeStreamError({ status: 502, message: error, kind: 'upstream' }));
      break;
    }
    if (step.done) break;
    observe(side.push(step.value));
    await forward(step.value);
  }
  if (!sink.signal.aborted) {
    observe(side.end());
    const tail = (rename ? rename.end().toString('utf8') : '') + (!error && guard ? guard.end() : '');
    sink.end(tail || undefined);
  }
  return { started: true, usage, error };
}
