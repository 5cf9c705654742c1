import { preparedOnce, type SqliteDb } from './sqlite';
import { deleteRollupBefore, HOUR_MS, resumCutSlots } from './rollup';
import { FAILED_SQL } from './schema';

/**
 * Records pruned per step: each step is one transaction that blocks the event loop (and so every
 * proxied request) while it runs, so it is bounded by a count of records, however densely they
 * were written; requests are served between steps.
 */
export const PRUNE_BATCH = 1000;

/** The retention cutoff for `days`, rounded down to a whole hour (the rollup's coarser grain). */
export function retentionCutoff(now: number, days: number): number {
  return Math.floor((now - days * 86_400_000) / HOUR_MS) * HOUR_MS;
}

/**
 * Delete the `limit` oldest records before `cutoff` (fewer on the last step), with the rollup in
 * the same transaction, so history and totals always agree: slots now empty are deleted, the ones
 * the step cut (quarter hour, hour, cost hour and day) are summed again from what they still hold.
 * A step costs `limit` deletions plus one hour's records summed by SQLite. `done` once nothing
 * before `cutoff` is left; the last step leaves exactly what one pass to `cutoff` would.
 */
export function pruneStep(db: SqliteDb, cutoff: number, limit: number): { deleted: number; done: boolean } {
  const n = Math.max(1, Math.floor(limit));
  // IMMEDIATE: the write lock before the first read. A transaction that reads first and writes later
  // fails at once (SQLITE_BUSY_SNAPSHOT) when the checkpoint worker reset the WAL in between (see
  // wal-checkpointer.ts).
  return db.transaction(() => {
    // Oldest first by (time, id): the index on time holds exactly that order.
    const last = preparedOnce(db, 'SELECT time FROM usage_records WHERE time < ? ORDER BY time, id LIMIT 1 OFFSET ?').get(cutoff, n - 1) as { time: number } | undefined;
    if (!last) {
      const deleted = preparedOnce(db, 'DELETE FROM usage_records WHERE time < ?').run(cutoff).changes;
      deleteRollupBefore(db, cutoff);
      return { deleted, done: true };
    }
    const deleted = preparedOnce(
      db,
      'DELETE FROM usage_records WHERE id IN (SELECT id FROM usage_records WHERE time < ? ORDER BY time, id LIMIT ?)',
    ).run(cutoff, n).changes;
    resumCutSlots(db, last.time, FAILED_SQL);
    deleteRollupBefore(db, Math.floor(last.time / HOUR_MS) * HOUR_MS);
    return { deleted, done: false };
  }).immediate();
}
