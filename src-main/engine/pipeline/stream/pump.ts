import type { ClientSink } from '../sink';

/** What the pump needs of the client side. */
export type PumpSink = Pick<ClientSink, 'gone' | 'write' | 'end'>;

/** Run `fire` once after `ms`; returns a cancel function. Injected by tests (no real sleeping). */
export type Schedule = (ms: number, fire: () => void) => () => void;

export const realSchedule: Schedule = (ms, fire) => {
  const t = setTimeout(fire, ms);
  t.unref?.();
  return () => clearTimeout(t);
};

/** The SSE comment sent while the upstream is silent; clients and parsers ignore comment lines. */
export const KEEPALIVE_COMMENT = ': keep-alive\n\n';

export interface Keepalive {
  /** `streaming.keepalive-seconds` in ms; 0 = off. */
  ms: number;
  schedule?: Schedule;
  /** May a comment go out now? (Passthrough bytes may have stopped inside an event.) */
  atBoundary?: () => boolean;
}

export interface PumpResult {
  /** The source threw (the caller decides: an error event, or cutting the connection). */
  failure?: unknown;
  /** The client went away before the end. */
  aborted?: boolean;
}

/**
 * The last stage and the only loop that moves a stream: pull one piece, write it, wait for the
 * client's socket to drain when its buffer is full, and only then pull the next — so a client
 * that does not read stops the reads from the upstream (backpressure end to end, bounded
 * memory). While the upstream is silent, keep-alive comments go out. Ends the client's response
 * when the source is done; on failure or abort the caller decides.
 */
export async function pump(sink: PumpSink, source: AsyncIterator<string | Buffer>, keepalive?: Keepalive): Promise<PumpResult> {
  const ka = keepalive && keepalive.ms > 0 ? keepalive : undefined;
  try {
    for (;;) {
      if (sink.gone) return stop(source);
      const step = ka ? await nextWithKeepalive(source, sink, ka) : await source.next();
      if (step.done) break;
      if (step.value.length) await sink.write(step.value);
    }
  } catch (err) {
    if (sink.gone) return { aborted: true };
    return { failure: err };
  }
  if (sink.gone) return { aborted: true };
  sink.end();
  return {};
}

function stop(source: AsyncIterator<string | Buffer>): PumpResult {
  // Closes the upstream body through the stages' `finally`/`for await` (not awaited: a silent
  // upstream is aborted by the attempt's signal, which settles the pending read).
  source.return?.().catch(() => undefined);
  return { aborted: true };
}

async function nextWithKeepalive(source: AsyncIterator<string | Buffer>, sink: PumpSink, ka: Keepalive): Promise<IteratorResult<string | Buffer>> {
  const schedule = ka.schedule ?? realSchedule;
  let draining = false;
  const fire = () => {
    if (!draining && !sink.gone && (ka.atBoundary?.() ?? true)) {
      draining = true;
      void sink.write(KEEPALIVE_COMMENT).then(() => (draining = false));
    }
    cancel = schedule(ka.ms, fire);
  };
  let cancel = schedule(ka.ms, fire);
  try {
    return await source.next();
  } finally {
    cancel();
  }
}
