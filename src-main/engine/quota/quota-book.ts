import { EventEmitter } from 'node:events';
import type { ProviderId } from '../providers/provider';
import type { UpstreamFailure } from '../upstream/failure/types';
import type { HeaderBag, QuotaAccountInfo, QuotaSource } from './source';
import { QuotaStore } from './store';
import { BookPersistence } from './book-persistence';
import { crossThresholds, DEFAULT_THRESHOLDS, isNewPeriod } from './thresholds';
import { realTimers, type Timers } from './timers';
import { remainingPercent, type QuotaWindow } from './window';
import { accountView, type AccountQuota, type AccountState, type QuotaBookEvents } from './account-quota';

export type { AccountQuota, QuotaBookEvents, QuotaResetEvent, QuotaThresholdEvent } from './account-quota';

export interface QuotaBookOptions {
  /** SQLite file for snapshots (usually the usage db); omit to keep everything in memory. */
  dbPath?: string;
  /** An already opened store instead of `dbPath`. */
  store?: QuotaStore;
  /** Header / 429 parsers by provider (see `quota/registry.ts`). */
  sources?: Partial<Record<string, QuotaSource>>;
  now?: () => number;
  timers?: Timers;
  /** Percent-left warnings. Default [20, 5]. */
  thresholds?: readonly number[];
  /** Minimum gap between two 'snapshot' events of one account. Default 1000 ms. */
  snapshotThrottleMs?: number;
  /** How long changes wait before they are written. Default 1000 ms. */
  persistDelayMs?: number;
}

/**
 * Per-account quota windows from every source (response headers, 429 bodies, polls, local counts).
 * Header readings arrive on the request path, so everything here is in-memory work; events and
 * disk writes are deferred to timers.
 */
export class QuotaBook extends EventEmitter<QuotaBookEvents> {
  private readonly entries = new Map<string, AccountState>();
  private readonly disk: BookPersistence;
  private readonly sources: Partial<Record<string, QuotaSource>>;
  private readonly now: () => number;
  private readonly timers: Timers;
  private thresholds: readonly number[];
  private readonly throttleMs: number;
  private readonly lastEmit = new Map<string, number>();
  private readonly pendingEmit = new Map<string, unknown>();
  private closed = false;

  constructor(opts: QuotaBookOptions = {}) {
    super();
    this.sources = opts.sources ?? {};
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? realTimers;
    this.thresholds = [...(opts.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => b - a);
    this.throttleMs = opts.snapshotThrottleMs ?? 1000;
    this.disk = new BookPersistence(undefined, this.entries, this.timers, opts.persistDelayMs ?? 1000);
    this.attachStore(opts.store ?? (opts.dbPath ? new QuotaStore(opts.dbPath) : undefined));
  }

  /** Persist to `store` (also one opened after the book was built), taking in what it kept; newer readings win. */
  attachStore(store: QuotaStore | undefined): void {
    if (store) this.disk.attach(store, (id, provider) => this.entry(id, provider));
  }

  /** Passive reading: quota headers of a proxied response. Also counts as traffic. */
  observeHeaders(accountId: string, provider: ProviderId | string, headers: HeaderBag): void {
    const now = this.now();
    const entry = this.entry(accountId, provider);
    entry.lastTrafficAt = now;
    const parse = this.sources[provider]?.parseHeaders;
    const windows = parse ? safe(() => parse(headers, now)) : [];
    this.apply(entry, windows, now);
    this.markDirty(accountId);
  }

  /**
   * A 429 from the upstream, parsed once where it arrived: its quota facts may say which window ran
   * out (its headers were already read by observeHeaders when the answer came).
   */
  observe429(accountId: string, provider: ProviderId | string, failure: UpstreamFailure): void {
    const now = this.now();
    const entry = this.entry(accountId, provider);
    entry.lastTrafficAt = now;
    const parse = this.sources[provider]?.parse429;
    const windows = parse ? safe(() => parse(failure)) : [];
    this.apply(entry, windows, now);
    this.markDirty(accountId);
  }

  /** Traffic without quota headers (the scheduler must not poll a busy account). */
  noteTraffic(accountId: string, provider: ProviderId | string): void {
    this.entry(accountId, provider).lastTrafficAt = this.now();
    this.markDirty(accountId);
  }

  /** Windows read by a poller or counted locally. */
  update(accountId: string, provider: ProviderId | string, windows: QuotaWindow[]): void {
    const entry = this.entry(accountId, provider);
    this.apply(entry, windows, this.now());
    this.markDirty(accountId);
  }

  /** Outcome of one poll (the scheduler calls this). */
  recordPoll(accountId: string, provider: ProviderId | string, result: { windows?: QuotaWindow[]; error?: string }): void {
    const now = this.now();
    const entry = this.entry(accountId, provider);
    entry.lastPollAt = now;
    entry.pollError = result.error;
    if (result.windows) this.apply(entry, result.windows, now);
    entry.updatedAt = now;
    this.changed(accountId);
  }

  note(accountId: string, provider: ProviderId | string, info: QuotaAccountInfo): void {
    const entry = this.entry(accountId, provider);
    entry.info = { ...entry.info, ...info };
    this.changed(accountId);
  }

  /** Change the percent-left warnings (settings). Already-announced levels stay announced. */
  setThresholds(thresholds: readonly number[]): void {
    this.thresholds = [...new Set(thresholds)].filter((t) => t >= 0 && t <= 100).sort((a, b) => b - a);
  }

  getThresholds(): number[] {
    return [...this.thresholds];
  }

  /** One account's state without sweeping expired windows first (cheap; for the scheduler). */
  peek(accountId: string): AccountQuota | undefined {
    const e = this.entries.get(accountId);
    return e ? accountView(e) : undefined;
  }

  info(accountId: string): QuotaAccountInfo {
    return { ...(this.entries.get(accountId)?.info ?? {}) };
  }

  get(accountId: string): AccountQuota | undefined {
    this.sweep();
    const e = this.entries.get(accountId);
    return e ? accountView(e) : undefined;
  }

  snapshot(): AccountQuota[] {
    this.sweep();
    return [...this.entries.values()].map(accountView);
  }

  /** Forget an account (deleted or signed out). */
  remove(accountId: string): void {
    if (!this.entries.delete(accountId)) return;
    this.disk.markRemoved(accountId, true);
  }

  /** Clear an account's windows (management "reset quota"); keeps what is known about its plan. */
  clearWindows(accountId: string): void {
    const e = this.entries.get(accountId);
    if (!e) return;
    e.windows.clear();
    this.disk.markRemoved(accountId, false);
    this.changed(accountId);
  }

  /**
   * Windows whose reset time has passed start over: usage 0, reset unknown until the next reading.
   * Emits 'reset' and re-arms the thresholds. Called by snapshot()/get() and the scheduler's tick.
   */
  sweep(): void {
    const now = this.now();
    for (const e of this.entries.values()) {
      let touched = false;
      for (const slot of e.windows.values()) {
        const w = slot.w;
        if (w.resetAt === null || w.resetAt > now || w.source === 'local') continue;
        const next: QuotaWindow = { ...w, usedPercent: 0, resetAt: null };
        const warned = slot.fired.length > 0;
        slot.w = next;
        slot.fired = [];
        touched = true;
        this.safeEmit('reset', { accountId: e.accountId, provider: e.provider, window: next, previous: w, warned });
      }
      if (touched) {
        e.updatedAt = now;
        this.changed(e.accountId);
      }
    }
  }

  /** Write pending changes now. */
  flush(): void {
    this.disk.flush();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const h of this.pendingEmit.values()) this.timers.clearTimeout(h);
    this.pendingEmit.clear();
    this.disk.close();
  }

  // ---- internals ----

  private entry(accountId: string, provider: string): AccountState {
    let e = this.entries.get(accountId);
    if (!e) {
      e = { accountId, provider, info: {}, windows: new Map(), updatedAt: this.now() };
      this.entries.set(accountId, e);
      this.disk.unremove(accountId);
    }
    return e;
  }

  private apply(entry: AccountState, windows: QuotaWindow[], now: number): void {
    if (windows.length === 0) return;
    for (const w of windows) {
      const slot = entry.windows.get(w.id);
      if (!slot) {
        entry.windows.set(w.id, { w, fired: this.fire(entry, w, []) });
        continue;
      }
      // An older reading (a slow poll finishing after fresh traffic) must not overwrite a newer one.
      if (w.observedAt < slot.w.observedAt) continue;
      let fired = slot.fired;
      if (slot.w.usedPercent > 0 && isNewPeriod(slot.w, w)) {
        fired = [];
        this.safeEmit('reset', { accountId: entry.accountId, provider: entry.provider, window: w, previous: slot.w, warned: slot.fired.length > 0 });
      }
      // Polls carry the readable names ("GPT-5.3-Codex-Spark"); headers only internal ones.
      const next = w.source === 'traffic' && slot.w.source === 'poll' ? { ...w, label: slot.w.label } : w;
      slot.w = next;
      slot.fired = this.fire(entry, next, fired);
    }
    entry.updatedAt = now;
    this.changed(entry.accountId);
  }

  private fire(entry: AccountState, w: QuotaWindow, fired: number[]): number[] {
    // A local count without a known limit is not a meter that can run low.
    if (w.source === 'local' && w.count?.limit === undefined) return fired;
    // Balances (Codex credits, Claude extra usage) are not windows: none bought, or extra usage
    // switched off, is not the quota running out. Warnings are decided here, once, for every UI.
    if (w.kind === 'credits') return fired;
    const r = crossThresholds(w, fired, this.thresholds);
    if (r.crossed !== undefined) {
      const lowest = this.thresholds[this.thresholds.length - 1];
      this.safeEmit('threshold', {
        accountId: entry.accountId,
        provider: entry.provider,
        window: w,
        threshold: r.crossed,
        level: r.crossed === lowest && this.thresholds.length > 1 ? 'critical' : 'warn',
        remainingPercent: remainingPercent(w),
      });
    }
    return r.fired;
  }

  private markDirty(accountId: string): void {
    this.disk.markDirty(accountId);
  }

  private changed(accountId: string): void {
    this.markDirty(accountId);
    this.scheduleSnapshot(accountId);
  }

  /** At most one 'snapshot' per account per throttle period; the last state always goes out. */
  private scheduleSnapshot(accountId: string): void {
    if (this.closed || this.pendingEmit.has(accountId)) return;
    const last = this.lastEmit.get(accountId);
    const delay = last === undefined ? 0 : Math.max(0, last + this.throttleMs - this.now());
    const handle = this.timers.setTimeout(() => {
      this.pendingEmit.delete(accountId);
      const e = this.entries.get(accountId);
      if (!e) return;
      this.lastEmit.set(accountId, this.now());
      this.safeEmit('snapshot', accountView(e));
    }, delay);
    this.pendingEmit.set(accountId, handle);
  }

  /** A listener's exception must never reach the request path that produced the reading. */
  private safeEmit<K extends keyof QuotaBookEvents>(event: K, ...args: QuotaBookEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: QuotaBookEvents[K]) => boolean)(event, ...args);
    } catch {
      // ignored on purpose
    }
  }
}

function safe(fn: () => QuotaWindow[]): QuotaWindow[] {
  try {
    return fn();
  } catch {
    return [];
  }
}
