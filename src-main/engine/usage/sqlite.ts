import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

/**
 * Open (creating the folder) a SQLite file in WAL mode. `synchronous=NORMAL` under WAL keeps every
 * committed transaction across a process crash (only an OS crash may lose the last commits), which
 * is what "a crash loses at most the last second" needs without an fsync per batch.
 */
export function openSqlite(dbPath: string): SqliteDb {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
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
  return db;
}
