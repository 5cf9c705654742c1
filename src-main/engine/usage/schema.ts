import type { SqliteDb } from './sqlite';
import { backfillRollup, COST_DIM, DAY_MS, ROLLUP_DDL } from './rollup';

/** Column order used by inserts and row mapping. */
export const USAGE_COLUMNS = [
  'uid',
  'time',
  'client_key_label',
  'inbound_format',
  'provider',
  'account_id',
  'account_label',
  'requested_model',
  'upstream_model',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cached_tokens',
  'latency_ms',
  'ttft_ms',
  'status',
  'error_class',
  'stream',
  'detail',
] as const;

/** Bumped with each migration; a newer file than this code knows is refused, not damaged. */
export const USAGE_SCHEMA_VERSION = 3;

export function ensureUsageSchema(db: SqliteDb): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > USAGE_SCHEMA_VERSION) {
    throw new Error(`usage database schema v${version} is newer than this version of Switchyard understands (v${USAGE_SCHEMA_VERSION})`);
  }
  db.exec(`
    CREATE TABLE IF NOT EXISTS usage_records (
      id INTEGER PRIMARY KEY,
      uid TEXT NOT NULL UNIQUE,
      time INTEGER NOT NULL,
      client_key_label TEXT,
      inbound_format TEXT NOT NULL,
      provider TEXT,
      account_id TEXT,
      account_label TEXT,
      requested_model TEXT NOT NULL,
      upstream_model TEXT,
      input_tokens INTEGER NOT NULL DEFAULT 0,
      output_tokens INTEGER NOT NULL DEFAULT 0,
      reasoning_tokens INTEGER NOT NULL DEFAULT 0,
      cached_tokens INTEGER NOT NULL DEFAULT 0,
      latency_ms INTEGER NOT NULL DEFAULT 0,
      ttft_ms INTEGER,
      status INTEGER NOT NULL,
      error_class TEXT,
      stream INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS usage_records_time ON usage_records(time);
    CREATE INDEX IF NOT EXISTS usage_records_account_time ON usage_records(account_id, time);
  `);
  // v2: `detail` (JSON: upstream status and message, retry time, accounts tried) explains failures.
  const columns = db.prepare('PRAGMA table_info(usage_records)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'detail')) db.exec('ALTER TABLE usage_records ADD COLUMN detail TEXT');
  // v3: quarter-hour rollups for the Usage page (see rollup.ts), filled from the records already
  // kept, in one transaction with the version bump: a crash midway leaves v2 and redoes it.
  db.transaction(() => {
    const fresh = !db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_rollup'").get();
    db.exec(ROLLUP_DDL);
    if (fresh) backfillRollup(db, FAILED_SQL);
    // The cost dimension came later, within v3 (older v3 files have every other dimension):
    // records without any cost row means this file has not been filled for it yet.
    else if (!db.prepare(`SELECT 1 FROM usage_rollup WHERE dim = '${COST_DIM}' AND span = ${DAY_MS} LIMIT 1`).get() && db.prepare('SELECT 1 FROM usage_records LIMIT 1').get()) {
      db.prepare(`DELETE FROM usage_rollup WHERE dim = '${COST_DIM}'`).run();
      backfillRollup(db, FAILED_SQL, COST_DIM);
    }
    if (version < USAGE_SCHEMA_VERSION) db.pragma(`user_version = ${USAGE_SCHEMA_VERSION}`);
  })();
}

/** SQL expression that marks a failed request (kept in one place so every query agrees). */
export const FAILED_SQL = '(error_class IS NOT NULL OR status >= 400 OR status = 0)';
