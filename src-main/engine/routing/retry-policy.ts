import type { WireError } from '../protocols/protocol';
import type { CooldownBook } from './cooldown-book';
import type { Candidate, FailureClassification } from './types';

/** `request-retry`, `max-retry-interval` (seconds), `max-retry-credentials` (0 = all). */
export interface RetryConfig {
  requestRetry: number;
  maxRetryIntervalSec: number;
  maxRetryCredentials: number;
}

// A type alias (not an interface) so it fits WireError.details' index signature.
export type AllCoolingDetails = {
  model: string;
  accounts: Array<{ id: string; label: string; until: string }>;
  reset_seconds: number;
  /** Same, as `1m2s`, like the reference's `reset_time`. */
  reset_time: string;
  provider?: string;
};

export type AllCoolingError = WireError & { retryAfterSeconds: number; details: AllCoolingDetails };

export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}s`;
}

/**
 * What to do after failures (PROTOCOLS.md §6.4): next candidate or stop at once, and after a whole
 * pass failed whether waiting for the nearest cooldown is worth it. Numbers mean what they say:
 * `request-retry: 0` = one pass, `max-retry-interval: 0` = never wait.
 */
export class RetryPolicy {
  constructor(
    private cfg: RetryConfig,
    private readonly book: CooldownBook,
  ) {}

  update(cfg: RetryConfig): void {
    this.cfg = cfg;
  }

  /** Invalid requests go back to the client unchanged; everything else may try the next candidate. */
  afterAttempt(c: Pick<FailureClassification, 'retryOtherAccounts'>): 'next-candidate' | 'give-up' {
    return c.retryOtherAccounts ? 'next-candidate' : 'give-up';
  }

  maxCredentialsPerPass(): number {
    return Math.max(0, Math.floor(this.cfg.maxRetryCredentials));
  }

  /**
   * After pass `pass` (0-based) failed: ms to wait before another pass, or undefined to give up.
   * Waits for the earliest cooldown among the candidates when it ends within `max-retry-interval`;
   * with a per-pass cap and untried free candidates, goes again at once; a bare Retry-After from
   * the last failure counts when nothing is cooling.
   */
  nextPassDelay(input: { pass: number; candidates: readonly Candidate[]; lastRetryAfterMs?: number }): number | undefined {
    if (input.pass >= this.cfg.requestRetry) return undefined;
    const maxWait = this.cfg.maxRetryIntervalSec * 1000;
    const usable = input.candidates.filter((c) => !c.account.disabled);
    if (!usable.length) return undefined;
    const now = this.book.now();
    let earliest: number | undefined;
    let free = 0;
    for (const c of usable) {
      const at = this.book.nextFreeAt(c.account.id, c.upstreamModel);
      if (at === undefined) free++;
      else earliest = Math.min(earliest ?? at, at);
    }
    const cap = this.maxCredentialsPerPass();
    if (free > 0 && cap > 0 && cap < usable.length) return 0;
    if (maxWait <= 0) return undefined;
    if (earliest !== undefined && free === 0) {
      const wait = Math.max(0, earliest - now);
      return wait <= maxWait ? wait : undefined;
    }
    if (input.lastRetryAfterMs !== undefined && input.lastRetryAfterMs > 0 && input.lastRetryAfterMs <= maxWait) return input.lastRetryAfterMs;
    return undefined;
  }

  /**
   * The answer when no candidate can take the request: 429 + Retry-After when they are cooling,
   * saying which model, which accounts and when the first frees up; 503 when all are disabled.
   */
  allCoolingError(model: string, candidates: readonly Candidate[]): AllCoolingError {
    const now = this.book.now();
    const seen = new Map<string, { id: string; label: string; until: number }>();
    const providers = new Set<string>();
    for (const c of candidates) {
      if (c.account.disabled) continue;
      const at = this.book.nextFreeAt(c.account.id, c.upstreamModel);
      if (at === undefined) continue;
      providers.add(c.account.provider);
      const prev = seen.get(c.account.id);
      // An account with several pool models is free as soon as its first model is.
      if (!prev || at < prev.until) seen.set(c.account.id, { id: c.account.id, label: c.account.label, until: at });
    }
    const accounts = [...seen.values()].sort((a, b) => a.until - b.until);
    if (!accounts.length) {
      return {
        status: 503,
        kind: 'overloaded',
        code: 'no_available_account',
        message: `No enabled account can serve model ${model} right now`,
        retryAfterSeconds: 1,
        details: { model, accounts: [], reset_seconds: 0, reset_time: '0s' },
      };
    }
    const seconds = Math.max(1, Math.ceil((accounts[0].until - now) / 1000));
    const via = providers.size === 1 ? ` via provider ${[...providers][0]}` : '';
    const details: AllCoolingDetails = {
      model,
      accounts: accounts.map((a) => ({ id: a.id, label: a.label, until: new Date(a.until).toISOString() })),
      reset_seconds: seconds,
      reset_time: formatSeconds(seconds),
    };
    if (providers.size === 1) details.provider = [...providers][0];
    return {
      status: 429,
      kind: 'rate_limit',
      code: 'model_cooldown',
      message: `All credentials for model ${model} are cooling down${via}; the first is free again in ${formatSeconds(seconds)}`,
      retryAfterSeconds: seconds,
      details,
    };
  }
}
