import type { Account } from '../providers/provider';
import type { LocalUsageCounter } from '../usage/recorder';
import type { QuotaBook } from './quota-book';
import { localWindow } from './local';
import { QuotaPollError, type CredentialUse, type QuotaFetch, type QuotaSource } from './source';
import { realTimers, type Timers } from './timers';
import type { QuotaWindow } from './window';

export interface QuotaSchedulerOptions {
  book: QuotaBook;
  sources: Readonly<Partial<Record<string, QuotaSource>>>;
  /** Current accounts (called every tick, so reloads and sign-ins are picked up). */
  accounts: () => readonly Account[];
  /** A fresh access token for the account (the token cache). */
  credential: (account: Account, use: CredentialUse) => Promise<string>;
  /** Poll transport; host-overrides already applied. */
  fetch: QuotaFetch;
  /** Per-account transport (proxy per account); takes precedence over `fetch`. */
  fetchFor?: (account: Account) => QuotaFetch;
  /** Where local meters (Qwen/iFlow) read their counts (or how to reach it: the history may open later). */
  localCounter?: LocalUsageCounter | (() => LocalUsageCounter | undefined);
  /** `quota.poll-minutes`: data older than this is stale. */
  pollMinutes: number;
  /** `quota.poll-budget-per-hour`: HTTP requests per account per rolling hour (0 = never poll). */
  budgetPerHour: number;
  /** No traffic for this long before an account may be polled. Default 2 min. */
  quietMs?: number;
  /** Time between passes. Default 30 s (±20 % jitter). */
  tickMs?: number;
  /** First 429 backoff; doubles per consecutive 429 up to maxBackoffMs. Default 3 min. */
  backoff429Ms?: number;
  /** First backoff after other failures. Default 1 min. */
  backoffErrorMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  onError?: (account: Account, err: unknown) => void;
}

export interface PollStatus {
  accountId: string;
  /** Requests spent in the last hour, and the budget. */
  budgetUsed: number;
  budgetLimit: number;
  backoffUntil?: number;
  lastError?: string;
  polling: boolean;
}

export type PollOutcome =
  | { ok: true; windows: QuotaWindow[] }
  | { ok: false; reason: 'no-source' | 'budget' | 'backoff' | 'busy' | 'error'; message: string };

interface AccountState {
  /** Epoch ms of each request sent in the last hour. */
  sent: number[];
  failures: number;
  backoffUntil: number;
  /** Stale-age multiplier (0.9–1.1) so accounts do not all come due on the same tick. */
  jitter: number;
  inFlight: boolean;
  lastError?: string;
  lastLocalCount?: number;
}

const HOUR = 3_600_000;
/** Paths that generate model output. A quota read must never hit one (it would start a window). */
const MODEL_PATH = /(:generateContent|:streamGenerateContent|\/chat\/completions|\/messages$|\/responses$|\/completions$)/;

export class QuotaBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuotaBudgetError';
  }
}

/**
 * One scheduler for every quota read. An account is polled only when its data is stale, it had
 * no traffic recently, it is not backing off, and its hourly request budget allows it.
 */
export class QuotaScheduler {
  private readonly state = new Map<string, AccountState>();
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly random: () => number;
  private timer: unknown;
  private running = false;
  private ticking: Promise<void> | undefined;
  private pollMs: number;
  private budget: number;

  constructor(private readonly opts: QuotaSchedulerOptions) {
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? realTimers;
    this.random = opts.random ?? Math.random;
    this.pollMs = opts.pollMinutes * 60_000;
    this.budget = opts.budgetPerHour;
  }

  /**
   * Begin polling. The first pass waits `delayMs` (default 5–15 s) so a starting engine is not
   * greeted by a burst of quota reads for every account restored from disk.
   */
  start(delayMs = 5_000 + 10_000 * this.random()): void {
    if (this.running) return;
    this.running = true;
    this.schedule(delayMs);
  }

  /** Stop scheduling; resolves when a pass in progress has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  reconfigure(cfg: { pollMinutes?: number; budgetPerHour?: number }): void {
    if (cfg.pollMinutes !== undefined) this.pollMs = cfg.pollMinutes * 60_000;
    if (cfg.budgetPerHour !== undefined) this.budget = cfg.budgetPerHour;
  }

  /** One pass over all accounts: refresh local meters, poll the due ones one at a time. */
  async tick(): Promise<void> {
    const run = this.pass();
    this.ticking = run;
    try {
      await run;
    } finally {
      if (this.ticking === run) this.ticking = undefined;
    }
  }

  /** Manual refresh: ignores staleness and traffic, never the budget or a 429 backoff. */
  async pollNow(accountId: string): Promise<PollOutcome> {
    const account = this.opts.accounts().find((a) => a.id === accountId);
    const source = account ? this.opts.sources[account.provider] : undefined;
    if (!account || !source) return { ok: false, reason: 'no-source', message: 'no quota source for this account' };
    if (source.local) {
      const w = this.refreshLocal(account, source, true);
      return w ? { ok: true, windows: [w] } : { ok: false, reason: 'no-source', message: 'no local counter' };
    }
    return this.poll(account, source);
  }

  status(accountId: string): PollStatus {
    const s = this.state.get(accountId);
    const now = this.now();
    const used = s ? s.sent.filter((t) => t > now - HOUR).length : 0;
    const out: PollStatus = { accountId, budgetUsed: used, budgetLimit: this.budget, polling: !!s?.inFlight };
    if (s && s.backoffUntil > now) out.backoffUntil = s.backoffUntil;
    if (s?.lastError) out.lastError = s.lastError;
    return out;
  }

  // ---- internals ----

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.tick().finally(() => {
        const base = this.opts.tickMs ?? 30_000;
        this.schedule(base * (0.8 + 0.4 * this.random()));
      });
    }, delay);
  }

  private async pass(): Promise<void> {
    this.opts.book.sweep();
    for (const account of this.opts.accounts()) {
      if (account.disabled) continue;
      const source = this.opts.sources[account.provider];
      if (!source) continue;
      if (source.local) {
        this.refreshLocal(account, source, false);
        continue;
      }
      if (source.poll && this.isDue(account)) await this.poll(account, source);
    }
  }

  private st(accountId: string): AccountState {
    let s = this.state.get(accountId);
    if (!s) {
      s = { sent: [], failures: 0, backoffUntil: 0, jitter: 0.9 + 0.2 * this.random(), inFlight: false };
      this.state.set(accountId, s);
    }
    return s;
  }

  private budgetLeft(s: AccountState, now: number): number {
    s.sent = s.sent.filter((t) => t > now - HOUR);
    return this.budget - s.sent.length;
  }

  private isDue(account: Account): boolean {
    const now = this.now();
    const s = this.st(account.id);
    if (s.inFlight || now < s.backoffUntil || this.budgetLeft(s, now) <= 0) return false;
    const q = this.opts.book.peek(account.id);
    if (q?.lastTrafficAt !== undefined && now - q.lastTrafficAt < (this.opts.quietMs ?? 120_000)) return false;
    // Fresh data from any source (traffic headers included) makes a poll pointless.
    const newest = Math.max(q?.lastPollAt ?? 0, ...(q?.windows.filter((w) => w.source !== 'local').map((w) => w.observedAt) ?? []));
    return now - newest >= this.pollMs * s.jitter;
  }

  private refreshLocal(account: Account, source: QuotaSource, force: boolean): QuotaWindow | undefined {
    if (!source.local) return undefined;
    const c = this.opts.localCounter;
    const counter = typeof c === 'function' ? c() : c;
    if (!counter) return undefined;
    const w = localWindow(source.local, counter, account.id, this.now());
    const s = this.st(account.id);
    // Only changes go to the book, so an idle account does not emit a snapshot every tick.
    if (force || s.lastLocalCount !== w.count?.requests) {
      s.lastLocalCount = w.count?.requests;
      this.opts.book.update(account.id, account.provider, [w]);
    }
    return w;
  }

  private async poll(account: Account, source: QuotaSource): Promise<PollOutcome> {
    const s = this.st(account.id);
    const now = this.now();
    if (s.inFlight) return { ok: false, reason: 'busy', message: 'a poll is already running' };
    if (now < s.backoffUntil) return { ok: false, reason: 'backoff', message: `backing off until ${new Date(s.backoffUntil).toISOString()}` };
    if (this.budgetLeft(s, now) <= 0) return { ok: false, reason: 'budget', message: 'hourly quota-read budget spent' };
    s.inFlight = true;
    const book = this.opts.book;
    try {
      const credential = await this.opts.credential(account, source.credential ?? 'request');
      const windows = await source.poll!({
        account,
        credential,
        fetch: this.budgeted(account, s),
        now,
        known: book.info(account.id),
        note: (info) => book.note(account.id, account.provider, info),
      });
      s.failures = 0;
      s.lastError = undefined;
      s.jitter = 0.9 + 0.2 * this.random();
      book.recordPoll(account.id, account.provider, { windows });
      return { ok: true, windows };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      s.lastError = message;
      if (!(err instanceof QuotaBudgetError)) this.backOff(s, err);
      book.recordPoll(account.id, account.provider, { error: message });
      this.opts.onError?.(account, err);
      return { ok: false, reason: err instanceof QuotaBudgetError ? 'budget' : 'error', message };
    } finally {
      s.inFlight = false;
    }
  }

  private backOff(s: AccountState, err: unknown): void {
    s.failures++;
    const max = this.opts.maxBackoffMs ?? HOUR;
    const status = err instanceof QuotaPollError ? err.status : 0;
    let wait: number;
    if (status === 429) {
      // Claude's usage endpoint answers 429 with `retry-after: 0` for hours: never trust a short hint.
      const base = (this.opts.backoff429Ms ?? 180_000) * 2 ** (s.failures - 1);
      wait = Math.max(base, err instanceof QuotaPollError ? (err.retryAfterMs ?? 0) : 0);
    } else if (status === 401 || status === 403) {
      wait = max; // credentials problem: the token cache or the user has to act first
    } else {
      wait = (this.opts.backoffErrorMs ?? 60_000) * 2 ** (s.failures - 1);
    }
    wait = Math.min(wait, max) * (1 + 0.1 * this.random());
    s.backoffUntil = this.now() + wait;
  }

  /** The poller's fetch: counts every request against the budget and refuses model endpoints. */
  private budgeted(account: Account, s: AccountState): QuotaFetch {
    const inner = this.opts.fetchFor?.(account) ?? this.opts.fetch;
    return async (url, init) => {
      if (MODEL_PATH.test(new URL(url).pathname)) throw new Error(`quota poll refused a model endpoint: ${url}`);
      const now = this.now();
      if (this.budgetLeft(s, now) <= 0) throw new QuotaBudgetError('hourly quota-read budget spent');
      s.sent.push(now);
      return inner(url, init);
    };
  }
}
