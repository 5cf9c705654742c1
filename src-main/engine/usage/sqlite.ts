import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';

export type SqliteDb = Database.Database;

/**
 * better-sqlite3, loaded when the first database opens rather than when this module loads: the
 * engine opens its databases after its port (engine-state-stores.ts, engine-usage.ts), so the
 * package's own loading stays off the path to the open port too.
 */
let sqlite: typeof Database | undefined;
const loadSqlite = (): typeof Database => (sqlite ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database);

const statements = new WeakMap<SqliteDb, Map<string, Statement>>();

/**
 * `db.prepare(sql)`, once per connection: for statements run over and over in a loop that must
 * not pause (retention steps), where preparing and collecting a dozen statements a step adds up.
 */
export function preparedOnce(db: SqliteDb, sql: string): Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) byText.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/**
 * Open (creating the folder) a SQLite file in WAL mode. `synchronous=NORMAL` under WAL keeps every
 * committed transaction across a process crash (only an OS crash may lose the last commits), which
 * is what "a crash loses at most the last second" needs without an fsync per batch.
 */
export function openSqlite(dbPath: string): SqliteDb {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(dbPath), { recursive: true, mode: 0o700 });
  const db = new (loadSqlite())(dbPath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Usage and quota keep separate connections on the same file; wait instead of failing on a lock.
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    // Not a database (or unreadable): the caller degrades; do not leak the handle.
    db.close();
    throw err;
  }
  if (dbPath !== ':memory:') ownerOnly(dbPath);
  return db;
}

/**
 * History and state name accounts, e-mails and key labels: owner-only, like the auth files.
 * Existing files (created 0644 by older versions) are tightened too, with their WAL companions.
 */
export function ownerOnly(dbPath: string): void {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch {
      // -wal/-shm may not exist yet (SQLite creates them with the database file's mode).
    }
  }
}
