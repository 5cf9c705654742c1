import type { SqliteDb } from './sqlite';
import { deleteRollupBefore, HOUR_MS } from './rollup';

/** Records pruned per step: small enough that requests are served between steps. */
export const PRUNE_BATCH = 500;

/** The retention cutoff for `days`, rounded down to a whole hour (the rollup's coarser grain). */
export function retentionCutoff(now: number, days: number): number {
  return Math.floor((now - days * 86_400_000) / HOUR_MS) * HOUR_MS;
}

/**
 * Delete about `limit` of the oldest records before `cutoff`, with the rollup slots they fall in,
 * in one transaction (history and totals always agree).
 */
export function pruneStep(db: SqliteDb, cutoff: number, limit: number): { deleted: number; done: boolean } {
  const nth = db.prepare('SELECT time FROM usage_records WHERE time < ? ORDER BY time LIMIT 1 OFFSET ?').get(cutoff, limit - 1) as { time: number } | undefined;
  // Up to the end of the hour holding the limit-th oldest record (a rollup slot is never split).
  const before = nth ? Math.min(cutoff, Math.floor(nth.time / HOUR_MS) * HOUR_MS + HOUR_MS) : cutoff;
  return db.transaction(() => {
    const n = db.prepare('DELETE FROM usage_records WHERE time < ?').run(before).changes;
    deleteRollupBefore(db, before);
    return { deleted: n, done: before === cutoff };
  })();
}
