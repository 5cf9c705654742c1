import type Database from 'better-sqlite3';
import { openSqlite } from '../usage/sqlite';
import { z } from 'zod';
import type { CooldownEntry, CooldownStore } from './cooldown-book';

const rowSchema = z.object({
  account_id: z.string(),
  model: z.string(),
  // coerce: PostgreSQL hands BIGINT columns back as strings.
  until: z.coerce.number(),
  reason: z.string(),
  message: z.string().nullable(),
  hint: z.string().nullable(),
  level: z.number(),
  set_at: z.coerce.number(),
});

/**
 * Cooldowns in SQLite (table `cooldowns`, WAL) so a restart does not forget that an account is
 * benched until its quota resets — nor keep one benched past it (expired rows are skipped on load
 * and pruned on every save). The engine keeps it in state.db with the quota store, on its own connection;
 * each save is one write transaction from its first statement (DELETE), so it never upgrades a read.
 */
export class SqliteCooldownStore implements CooldownStore {
  private readonly db: Database.Database;

  constructor(dbPath: string) {
    this.db = openSqlite(dbPath);
    this.db.exec(`CREATE TABLE IF NOT EXISTS cooldowns (
      account_id TEXT NOT NULL,
      model TEXT NOT NULL,
      until INTEGER NOT NULL,
      reason TEXT NOT NULL,
      message TEXT,
      hint TEXT,
      level INTEGER NOT NULL DEFAULT 0,
      set_at INTEGER NOT NULL,
      PRIMARY KEY (account_id, model)
    )`);
  }

  async load(): Promise<CooldownEntry[]> {
    // Expired rows are dropped by the book, whose clock is the one that counts.
    const rows = this.db.prepare('SELECT * FROM cooldowns').all();
    const out: CooldownEntry[] = [];
    for (const raw of rows) {
      const e = cooldownFromRow(raw);
      if (e) out.push(e); // a hand-edited or foreign row is skipped, not fatal
    }
    return out;
  }

  /** Replace the table with the book's live entries in one transaction. */
  async save(entries: CooldownEntry[]): Promise<void> {
    const del = this.db.prepare('DELETE FROM cooldowns');
    const ins = this.db.prepare(
      'INSERT OR REPLACE INTO cooldowns (account_id, model, until, reason, message, hint, level, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction((list: CooldownEntry[]) => {
      del.run();
      for (const e of list) ins.run(e.accountId, e.model, Math.round(e.until), e.reason, e.message ?? null, e.hint ?? null, e.level, Math.round(e.setAt));
    })(entries);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A stored `cooldowns` row (SQLite or PostgreSQL, same columns) as an entry; undefined when malformed. */
export function cooldownFromRow(raw: unknown): CooldownEntry | undefined {
  const r = rowSchema.safeParse(raw);
  if (!r.success) return undefined;
  const e: CooldownEntry = {
    accountId: r.data.account_id,
    model: r.data.model,
    until: r.data.until,
    reason: r.data.reason as CooldownEntry['reason'],
    level: r.data.level,
    setAt: r.data.set_at,
  };
  if (r.data.message) e.message = r.data.message;
  if (r.data.hint) e.hint = r.data.hint;
  return e;
}

/**
 * A cooldown store opened on first use (the restore after the port opens, a save, or `get`), once.
 * `open` returns undefined when the store cannot open: then loads find nothing and saves keep
 * nothing, as with no store at all.
 */
export class CooldownStoreOnFirstUse implements CooldownStore {
  private tried = false;
  private store?: CooldownStore;

  constructor(private readonly open: () => CooldownStore | undefined) {}

  get(): CooldownStore | undefined {
    if (!this.tried) {
      this.tried = true;
      this.store = this.open();
    }
    return this.store;
  }

  async load(): Promise<CooldownEntry[]> {
    return (await this.get()?.load()) ?? [];
  }

  async save(entries: CooldownEntry[]): Promise<void> {
    await this.get()?.save(entries);
  }
}
