import { UpstreamNetworkError } from './send-upstream';

/**
 * One upstream attempt's abort signal: the client going away, or the attempt's overall deadline
 * (`request-timeout-seconds` for non-stream calls, D21). undici's own timeouts measure silence
 * between chunks, so a slow drip would otherwise hold a request forever.
 */
export class AttemptClock {
  private readonly ctrl = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onClientAbort = () => this.ctrl.abort();
  timedOut = false;

  constructor(
    private readonly client: AbortSignal,
    private readonly deadlineMs?: number,
    private readonly setting = 'request-timeout-seconds',
  ) {
    if (client.aborted) this.ctrl.abort();
    else client.addEventListener('abort', this.onClientAbort, { once: true });
    if (deadlineMs !== undefined && deadlineMs > 0 && Number.isFinite(deadlineMs)) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.ctrl.abort();
      }, deadlineMs);
      this.timer.unref?.();
    }
  }

  get signal(): AbortSignal {
    return this.ctrl.signal;
  }

  get clientGone(): boolean {
    return this.client.aborted;
  }

  timeoutError(): UpstreamNetworkError {
    const s = Math.round(((this.deadlineMs ?? 0) / 1000) * 10) / 10;
    return new UpstreamNetworkError('timeout', `upstream did not finish its answer within ${s} s (${this.setting})`);
  }

  /** Stop the other calls of this attempt (one of n failed); not a timeout, not the client. */
  abortSiblings(): void {
    this.ctrl.abort();
  }

  /** The attempt is over (served or failed): stop the timer. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.client.removeEventListener('abort', this.onClientAbort);
  }
}
