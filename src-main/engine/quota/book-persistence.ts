import type { AccountState } from './account-quota';
import type { QuotaStore, StoredAccount, StoredWindow } from './store';
import type { Timers } from './timers';

/**
 * The quota book's disk side: which accounts changed or went away since the last write, and one
 * deferred write for all of them (readings arrive on the request path; disk work must not).
 */
export class BookPersistence {
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private timer: unknown;
  private closed = false;

  constructor(
    private store: QuotaStore | undefined,
    private readonly entries: ReadonlyMap<string, AccountState>,
    private readonly timers: Timers,
    private readonly delayMs: number,
  ) {}

  /**
   * Persist to `store` from now on, first taking in what it kept (`entry` creates an account's
   * state). It may come after the book was built (the engine opens it after start-up): readings
   * the book heard since win, and the changes so far are written to it too.
   */
  attach(store: QuotaStore, entry: (accountId: string, provider: string) => AccountState): void {
    restoreEntries(store.load(), entry, true);
    this.store = store;
    if (this.dirty.size > 0 || this.removed.size > 0) this.schedule();
  }

  /** The account's row and windows need writing. */
  markDirty(accountId: string): void {
    this.dirty.add(accountId);
    this.schedule();
  }

  /** The account's stored windows are to be deleted (it was removed, or its windows cleared). */
  markRemoved(accountId: string, forget: boolean): void {
    if (forget) this.dirty.delete(accountId);
    this.removed.add(accountId);
    this.schedule();
  }

  /** An account came back before its removal was written. */
  unremove(accountId: string): void {
    this.removed.delete(accountId);
  }

  /** Write pending changes now. */
  flush(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.store || (this.dirty.size === 0 && this.removed.size === 0)) return;
    const accounts: StoredAccount[] = [];
    const windows: StoredWindow[] = [];
    for (const id of this.dirty) {
      const e = this.entries.get(id);
      if (!e) continue;
      accounts.push({
        accountId: e.accountId,
        provider: e.provider,
        info: e.info,
        lastTrafficAt: e.lastTrafficAt,
        lastPollAt: e.lastPollAt,
        pollError: e.pollError,
      });
      for (const s of e.windows.values()) windows.push({ accountId: id, provider: e.provider, window: s.w, fired: s.fired });
    }
    const removed = [...this.removed];
    const dirty = [...this.dirty];
    this.dirty.clear();
    this.removed.clear();
    try {
      this.store.save(accounts, windows, removed);
    } catch (err) {
      // Keep them for the next attempt (the write was one transaction: nothing half-saved).
      for (const id of dirty) if (this.entries.has(id)) this.dirty.add(id);
      for (const id of removed) this.removed.add(id);
      throw err;
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.store?.close();
  }

  private schedule(): void {
    if (!this.store || this.closed || this.timer !== undefined) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch {
        // Disk trouble: keep serving from memory; the next change retries.
      }
    }, this.delayMs);
  }
}

/**
 * Put a loaded snapshot back into the book's entries (`entry` creates an account's state). With
 * `keepNewer` (a store attached to a book that may have heard something since) a stored window
 * replaces none observed later, and stored account facts fill only what the book does not know.
 */
export function restoreEntries(data: { accounts: StoredAccount[]; windows: StoredWindow[] }, entry: (accountId: string, provider: string) => AccountState, keepNewer = false): void {
  for (const a of data.accounts) {
    const e = entry(a.accountId, a.provider);
    if (keepNewer && (e.lastPollAt !== undefined || e.lastTrafficAt !== undefined || Object.keys(e.info).length > 0)) continue;
    e.info = a.info;
    e.lastTrafficAt = a.lastTrafficAt;
    e.lastPollAt = a.lastPollAt;
    e.pollError = a.pollError;
  }
  for (const w of data.windows) {
    const e = entry(w.accountId, w.provider);
    const held = e.windows.get(w.window.id);
    if (keepNewer && held && held.w.observedAt >= w.window.observedAt) continue;
    e.windows.set(w.window.id, { w: w.window, fired: w.fired });
    e.updatedAt = Math.max(e.updatedAt === undefined ? 0 : e.updatedAt, w.window.observedAt);
  }
}
