import type { IrStreamError, IrUsage } from '../ir';
import type { Protocol } from '../protocols/protocol';
import type { SseEvent } from '../sse/types';
import type { AttemptClock } from './attempt-clock';
import { DEFAULT_LIMITS, type PipelineLimits } from './limits';
import { ModelNameRewriter } from './model-name-rewriter';
import type { ClientSink } from './sink';
import { FirstOutputWatch, streamFailure } from './stream/first-output';
import { pump, type Schedule } from './stream/pump';
import { readAheadStream, type StreamAheadOk } from './stream/stream-ahead';

export type PassthroughResult =
  | { started: true; usage?: IrUsage; error?: string }
  /** Nothing reached the client: the caller may fail over. */
  | { started: false; error: IrStreamError };

export interface PassthroughOptions {
  names?: { upstreamModel: string; clientModel: string };
  limits?: PipelineLimits;
  clock?: AttemptClock;
  schedule?: Schedule;
}

/**
 * Same format on both sides: forward the upstream bytes untouched (but for the model name the
 * client sees). The same read-ahead as a translated stream holds the bytes back until the
 * upstream produced real output, so an error before any output still becomes an HTTP status
 * and a failover. After that the SSE events only feed a side channel that sniffs usage and
 * watches for a missing terminator; the bytes are never re-encoded.
 */
export async function relayPassthrough(
  res: { headers: Record<string, string | string[] | undefined>; body: AsyncIterable<unknown> },
  upstream: Protocol,
  sink: ClientSink,
  opts: PassthroughOptions = {},
): Promise<PassthroughResult> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const ahead = await readAheadStream(res.body, new FirstOutputWatch(upstream.createStreamDecoder()), {
    maxLineChars: limits.sseLineChars,
    maxBytes: limits.upstreamBodyBytes,
    clock: opts.clock,
  });
  if (ahead.error) return { started: false, error: ahead.error };

  const result: { usage?: IrUsage; error?: string } = {};
  const tail = new TailWatch();
  const type = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : 'text/event-stream';
  const bytes = passthroughBytes(ahead, upstream, sink, result, tail, opts.names);
  sink.startStream(type);
  await pump(sink, bytes, {
    ms: type.includes('text/event-stream') ? limits.keepaliveMs : 0,
    schedule: opts.schedule,
    atBoundary: () => tail.atEventBoundary(),
  });
  return { started: true, ...result };
}

/**
 * The passthrough stage: the held bytes, then the upstream's as they come (renamed), while their
 * SSE events feed the usage sniffer and the format's guard. A read failure ends the stream with
 * the format's error event; a clean end adds what the guard says is missing.
 */
async function* passthroughBytes(
  ahead: StreamAheadOk,
  upstream: Protocol,
  client: Pick<ClientSink, 'gone'>,
  result: { usage?: IrUsage; error?: string },
  tail: TailWatch,
  names?: { upstreamModel: string; clientModel: string },
): AsyncGenerator<Buffer | string, void, undefined> {
  const guard = upstream.createPassthroughGuard?.();
  const rename = names && names.upstreamModel !== names.clientModel ? new ModelNameRewriter(names.upstreamModel, names.clientModel) : undefined;
  const observe = (events: SseEvent[]) => {
    for (const ev of events) {
      guard?.push(ev);
      const u = upstream.sniffUsage?.(ev);
      if (u) result.usage = { ...result.usage, ...u };
    }
  };
  for (const c of ahead.held) observe(c.events);
  const head = ahead.held.length === 1 ? ahead.held[0].bytes : Buffer.concat(ahead.held.map((c) => c.bytes));
  ahead.held.length = 0;
  tail.see(head);
  yield rename ? rename.push(head) : head;

  let finished = false;
  try {
    for (;;) {
      const step = await ahead.rest.next();
      if (step.done) break;
      observe(step.value.events);
      if (step.value.bytes.length === 0) continue;
      // The upstream's own bytes decide (a renamed line held back is no boundary either).
      tail.see(step.value.bytes);
      yield rename ? rename.push(step.value.bytes) : step.value.bytes;
    }
    finished = true;
  } catch (err) {
    finished = true;
    if (client.gone) return;
    const e = streamFailure(err, ahead.clock);
    result.error = e.message;
    if (rename) yield rename.end();
    yield upstream.encodeStreamError({ status: e.status, message: e.message, kind: e.status === 504 ? 'timeout' : 'upstream' });
    return;
  } finally {
    if (!finished) await ahead.rest.return?.();
  }
  if (rename) yield rename.end();
  if (guard) yield guard.end();
}

/** Remembers how the forwarded bytes end, so a keep-alive comment never lands inside an event. */
class TailWatch {
  private last: Buffer = Buffer.alloc(0);
  private before: Buffer = Buffer.alloc(0);

  /** Per chunk only two references move; the bytes are looked at when a comment is due. */
  see(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.before = this.last;
    this.last = chunk;
  }

  /** Do the bytes so far end with a blank line (LF, CR or CRLF line ends)? */
  atEventBoundary(): boolean {
    const t = (this.last.length >= 4 ? this.last.subarray(-4) : Buffer.concat([this.before, this.last]).subarray(-4)).toString('latin1');
    let i = t.length;
    const lineEnd = () => {
      if (i >= 2 && t[i - 2] === '\r' && t[i - 1] === '\n') i -= 2;
      else if (i >= 1 && (t[i - 1] === '\n' || t[i - 1] === '\r')) i -= 1;
      else return false;
      return true;
    };
    return lineEnd() && lineEnd();
  }
}
