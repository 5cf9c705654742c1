import { z } from 'zod';
import { openSqlite, type SqliteDb } from '../usage/sqlite';
import type { QuotaWindow } from './window';
import type { QuotaAccountInfo } from './source';

/** What the book keeps per account besides its windows. */
export interface StoredAccount {
  accountId: string;
  provider: string;
  info: QuotaAccountInfo;
  lastTrafficAt?: number;
  lastPollAt?: number;
  pollError?: string;
}

export interface StoredWindow {
  accountId: string;
  provider: string;
  window: QuotaWindow;
  /** Thresholds (percent left) already announced for the current reset period. */
  fired: number[];
}

/** A stored quota window (SQLite rows here, shared readings in PostgreSQL). */
export const windowSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['5h', 'daily', 'weekly', 'monthly', 'per-model', 'credits']),
  usedPercent: z.number(),
  resetAt: z.number().nullable(),
  windowSeconds: z.number(),
  source: z.enum(['traffic', 'poll', 'local']),
  observedAt: z.number(),
  model: z.string().optional(),
  balance: z.number().optional(),
  note: z.string().optional(),
  count: z.object({ requests: z.number(), tokens: z.number(), limit: z.number().optional() }).optional(),
});
const infoSchema = z.object({ plan: z.string().optional(), tier: z.string().optional(), projectId: z.string().optional() });
const firedSchema = z.array(z.number());

/**
 * Quota snapshots in SQLite so meters (and "already warned") survive a restart. The file is the
 * usage database by default; this class keeps its own connection and tables.
 */
export class QuotaStore {
  private readonly db: SqliteDb;

  constructor(dbPath: string) {
    this.db = openSqlite(dbPath);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS quota_windows (
        account_id TEXT NOT NULL,
        window_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        data TEXT NOT NULL,
        fired TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account_id, window_id)
      );
      CREATE TABLE IF NOT EXISTS quota_accounts (
        account_id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        info TEXT NOT NULL DEFAULT '{}',
        last_traffic_at INTEGER,
        last_poll_at INTEGER,
        poll_error TEXT
      );
    `);
  }

  load(): { accounts: StoredAccount[]; windows: StoredWindow[] } {
    const accounts: StoredAccount[] = [];
    for (const r of this.db.prepare('SELECT * FROM quota_accounts').all() as Array<{
      account_id: string;
      provider: string;
      info: string;
      last_traffic_at: number | null;
      last_poll_at: number | null;
      poll_error: string | null;
    }>) {
      const info = infoSchema.safeParse(safeJson(r.info));
      accounts.push({
        accountId: r.account_id,
        provider: r.provider,
        info: info.success ? info.data : {},
        ...(r.last_traffic_at !== null ? { lastTrafficAt: r.last_traffic_at } : {}),
        ...(r.last_poll_at !== null ? { lastPollAt: r.last_poll_at } : {}),
        ...(r.poll_error !== null ? { pollError: r.poll_error } : {}),
      });
    }
    const windows: StoredWindow[] = [];
    for (const r of this.db.prepare('SELECT * FROM quota_windows').all() as Array<{
      account_id: string;
      provider: string;
      data: string;
      fired: string;
    }>) {
      const w = windowSchema.safeParse(safeJson(r.data));
      // A row we cannot read is dropped, not fatal: the next reading replaces it.
      if (!w.success) continue;
      const fired = firedSchema.safeParse(safeJson(r.fired));
      windows.push({ accountId: r.account_id, provider: r.provider, window: w.data, fired: fired.success ? fired.data : [] });
    }
    return { accounts, windows };
  }

  save(accounts: StoredAccount[], windows: StoredWindow[], removed: string[]): void {
    const putAccount = this.db.prepare(
      `INSERT INTO quota_accounts (account_id, provider, info, last_traffic_at, last_poll_at, poll_error)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(account_id) DO UPDATE SET provider = excluded.provider, info = excluded.info,
         last_traffic_at = excluded.last_traffic_at, last_poll_at = excluded.last_poll_at, poll_error = excluded.poll_error`,
    );
    const putWindow = this.db.prepare(
      `INSERT INTO quota_windows (account_id, window_id, provider, data, fired) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(account_id, window_id) DO UPDATE SET provider = excluded.provider, data = excluded.data, fired = excluded.fired`,
    );
    const delAccount = this.db.prepare('DELETE FROM quota_accounts WHERE account_id = ?');
    const delWindows = this.db.prepare('DELETE FROM quota_windows WHERE account_id = ?');
    this.db.transaction(() => {
      for (const id of removed) {
        delAccount.run(id);
        delWindows.run(id);
      }
      for (const a of accounts) {
        putAccount.run(a.accountId, a.provider, JSON.stringify(a.info), a.lastTrafficAt ?? null, a.lastPollAt ?? null, a.pollError ?? null);
      }
      for (const w of windows) {
        putWindow.run(w.accountId, w.window.id, w.provider, JSON.stringify(w.window), JSON.stringify(w.fired));
      }
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}
