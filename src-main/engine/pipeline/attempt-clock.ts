import { UpstreamNetworkError } from './send-upstream';

/**
 * One upstream attempt's abort: the client going away, or the attempt's overall deadline
 * (`request-timeout-seconds` for non-stream calls, D21). undici's own timeouts measure silence
 * between chunks, so a slow drip would otherwise hold a request forever.
 *
 * The calls of the attempt are stopped directly (`link`), not through an AbortSignal: no
 * AbortController and no listener per call on the hot path. `signal` is still there, made on
 * first use, for callers that want one.
 */
export class AttemptClock {
  private ctrl: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The calls in flight (usually one; media runs several at once). */
  private calls: Array<(reason: Error) => void> | undefined;
  private aborted = false;
  private readonly onClientAbort = () => this.fire();
  private unwatch: (() => void) | undefined;
  timedOut = false;

  constructor(
    /** The client: its abort signal, or (cheaper) a watcher that calls back when it leaves. */
    private readonly client: AbortSignal | ClientPresence,
    private readonly deadlineMs?: number,
    private readonly setting = 'request-timeout-seconds',
  ) {
    if (this.clientGone) this.aborted = true;
    else if (isSignal(client)) client.addEventListener('abort', this.onClientAbort, { once: true });
    else this.unwatch = client.onGone(this.onClientAbort);
    if (deadlineMs !== undefined && deadlineMs > 0 && Number.isFinite(deadlineMs)) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.fire();
      }, deadlineMs);
      this.timer.unref?.();
    }
  }

  /** Aborted when the attempt is (made on first use: the hot path links its calls instead). */
  get signal(): AbortSignal {
    if (!this.ctrl) {
      this.ctrl = new AbortController();
      if (this.aborted) this.ctrl.abort();
    }
    return this.ctrl.signal;
  }

  /** Tie an upstream call to this attempt: `abort` runs when the attempt is aborted (now if it was). */
  link(abort: (reason: Error) => void): void {
    if (this.aborted) {
      abort(abortError());
      return;
    }
    (this.calls ??= []).push(abort);
  }

  get clientGone(): boolean {
    return isSignal(this.client) ? this.client.aborted : this.client.gone;
  }

  timeoutError(): UpstreamNetworkError {
    const s = Math.round(((this.deadlineMs ?? 0) / 1000) * 10) / 10;
    return new UpstreamNetworkError('timeout', `upstream did not finish its answer within ${s} s (${this.setting})`);
  }

  /** Stop the other calls of this attempt (one of n failed); not a timeout, not the client. */
  abortSiblings(): void {
    this.fire();
  }

  /** The attempt is over (served or failed): stop the timer. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.calls = undefined;
    if (isSignal(this.client)) this.client.removeEventListener('abort', this.onClientAbort);
    else this.unwatch?.();
    this.unwatch = undefined;
  }

  private fire(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.ctrl?.abort();
    const calls = this.calls;
    this.calls = undefined;
    if (calls) for (const abort of calls) abort(abortError());
  }
}

/** The client as the clock needs it (ClientSink): gone yet, and a call when it leaves. */
export interface ClientPresence {
  readonly gone: boolean;
  onGone(fn: () => void): () => void;
}

function isSignal(client: AbortSignal | ClientPresence): client is AbortSignal {
  return !('onGone' in client);
}

/** The reason an AbortSignal carries (what undici threw for the signal this replaces). */
function abortError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}
