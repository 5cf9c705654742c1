import type { Statement } from 'better-sqlite3';
import { openSqlite, type SqliteDb } from './sqlite';
import { ensureUsageSchema, USAGE_COLUMNS } from './schema';
import { toRowValues } from './rows';
import { prepareRollupUpsert, RollupBatch, rowFailed } from './rollup';
import { PRUNE_BATCH, pruneStep, retentionCutoff } from './retention';
import { asUsage, isFailure, isRecordError, type AccountCounts, type LocalUsageCounter, type UsageRecord } from './record';
import type { RequestRecord } from '../pipeline/types';
import { WalCheckpointer, type WalCheckpointOptions } from './wal-checkpointer';
import {
  queryAccountCounts,
  queryCostBasis,
  type CostBasisRow,
  queryRecent,
  queryRange,
  querySeries,
  queryTotals,
  type RecentFilters,
  type SeriesPoint,
  type SeriesQuery,
  type TimeRange,
  type UsageTotals,
} from './queries';
import { cliproxyAggregate, type CliproxyAggregateOptions, type CliproxyUsageSnapshot } from './cliproxy-aggregate';
import { buildExport, parseImport, type UsageExport } from './transfer';

export type { AccountCounts, LocalUsageCounter } from './record';

/** Wait before writing again after the database refused a batch (disk full, locked). */
const RETRY_AFTER_FAILURE_MS = 5_000;

export interface UsageRecorderOptions {
  /** SQLite file (created with its folder), or ':memory:'. */
  dbPath: string;
  /** Longest a record waits in memory before it is written. Default 250 ms. */
  flushIntervalMs?: number;
  /** Records kept in memory while the disk refuses writes; older ones are dropped past this. */
  maxQueue?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
  /** Records deleted per retention step (one transaction each). Default PRUNE_BATCH. */
  pruneBatch?: number;
  /** WAL checkpoints off the event loop (wal-checkpointer.ts); tests shrink the threshold. */
  checkpoint?: WalCheckpointOptions;
  /** Said once when checkpoints fall back to the writer's thread. */
  onWarning?: (message: string) => void;
}

/**
 * Durable usage history. `record()` only pushes to an in-memory queue (O(1), no I/O on the
 * request path); a timer writes the queue in one transaction at most `flushIntervalMs` later.
 */
export class UsageRecorder implements LocalUsageCounter {
  private readonly db: SqliteDb;
  private readonly insert: Statement;
  private readonly upsertRollup: Statement;
  /** Checkpoints the WAL off the event loop; `afterWrite()` after each commit. */
  readonly wal: WalCheckpointer;
  private pruning = false;
  /** Finished requests as the pipeline handed them over, or usage records; converted when written. */
  private queue: Array<UsageRecord | RequestRecord> = [];
  private timer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxQueue: number;
  private readonly pruneBatch: number;
  private readonly now: () => number;
  private readonly onError: (err: unknown) => void;
  /** Records dropped because the queue overflowed while writes failed. */
  dropped = 0;
  /** Records the database refused on their own (malformed fields). */
  rejected = 0;

  constructor(opts: UsageRecorderOptions) {
    this.flushIntervalMs = Math.min(250, Math.max(1, opts.flushIntervalMs ?? 250));
    this.maxQueue = opts.maxQueue ?? 100_000;
    this.pruneBatch = opts.pruneBatch ?? PRUNE_BATCH;
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? (() => undefined);
    this.db = openSqlite(opts.dbPath);
    ensureUsageSchema(this.db);
    const cols = USAGE_COLUMNS.join(', ');
    const params = USAGE_COLUMNS.map(() => '?').join(', ');
    // OR IGNORE on the unique uid: a request recorded twice (or re-imported) counts once.
    this.insert = this.db.prepare(`INSERT OR IGNORE INTO usage_records (${cols}) VALUES (${params})`);
    this.upsertRollup = prepareRollupUpsert(this.db);
    this.wal = new WalCheckpointer(this.db, opts.dbPath, { ...opts.checkpoint, onWarning: opts.onWarning });
  }

  /** Insert one record (call inside a transaction); counts it into `rollup` when it was new. */
  private insertRow(r: UsageRecord, rollup: RollupBatch): number {
    const row = toRowValues(r);
    const changes = this.insert.run(row).changes;
    if (changes) rollup.add(row, rowFailed(row));
    return changes;
  }

  /**
   * Queue one record. A finished request is taken as the pipeline closed it (it does not change
   * after) and turned into its usage record only when the batch is written, off the request.
   */
  record(r: UsageRecord | RequestRecord): void {
    if (this.closed) return;
    this.queue.push(r);
    if (this.queue.length > this.maxQueue) {
      this.queue.shift();
      this.dropped++;
      // Never silently: the first drop and every thousandth after it are reported.
      if (this.dropped === 1 || this.dropped % 1000 === 0) {
        this.onError(new Error(`usage history queue is full while the database refuses writes: ${this.dropped} record(s) dropped so far`));
      }
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Write everything queued now, in one transaction. Returns the number of records written. */
  flush(): number {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.length === 0 || !this.db.open) return 0;
    const batch = this.queue;
    this.queue = [];
    try {
      let written = 0;
      this.db.transaction(() => {
        const rollup = new RollupBatch();
        for (const r of batch) {
          try {
            written += this.insertRow(asUsage(r), rollup);
          } catch (err) {
            // A record the database cannot take (bad field type) is dropped alone; trouble with
            // the database itself (locked, full, I/O) fails the batch so it is retried.
            if (!isRecordError(err)) throw err;
            this.rejected++;
            this.onError(err);
          }
        }
        rollup.write(this.upsertRollup);
      }).immediate(); // write lock first: see pruneStep
      this.wal.afterWrite();
      return written;
    } catch (err) {
      // Keep the batch for the next attempt (disk full, locked); the queue cap bounds memory.
      this.queue = batch.concat(this.queue).slice(-this.maxQueue);
      this.onError(err);
      // Retry on our own: the records must reach the disk once it has room, traffic or not.
      if (!this.timer && !this.closed) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.flush();
        }, RETRY_AFTER_FAILURE_MS);
        this.timer.unref();
      }
      return 0;
    }
  }

  /**
   * Keep only the last `days` days (config `usage-retention-days`; 0 = keep everything): prunes now
   * and every 6 hours after, in steps of `pruneBatch` records with requests served in between (the
   * first step at once). Calling again replaces the setting.
   */
  setRetention(days: number): void {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = undefined;
    if (!(days > 0) || this.closed) return;
    const run = (): void => {
      if (this.pruning) return;
      this.pruning = true;
      const cutoff = retentionCutoff(this.now(), days);
      const step = (waits = 0): void => {
        // Steps wait (up to 100 ms) for a checkpoint of a large log: one that no write overlaps copies
        // the whole log, which then starts over; back-to-back steps would keep the WAL growing.
        if (waits < 50 && this.wal.checkpointInFlight()) return void setTimeout(step, 2, waits + 1);
        try {
          const more = !this.closed && this.db.open && !pruneStep(this.db, cutoff, this.pruneBatch).done;
          this.wal.afterWrite();
          if (more) return void setImmediate(step);
        } catch (err) {
          this.onError(err);
        }
        this.pruning = false;
      };
      try {
        this.flush();
      } catch (err) {
        this.onError(err);
      }
      step();
    };
    run();
    this.retentionTimer = setInterval(run, 6 * 3_600_000);
    this.retentionTimer.unref();
  }

  /** Flush everything and close the database. Later `record()` calls are ignored. */
  close(): void {
    if (this.closed) return;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = undefined;
    this.flush();
    this.closed = true;
    this.wal.close();
    if (this.db.open) this.db.close();
  }

  /** Records waiting in memory (not yet on disk). */
  pending(): number {
    return this.queue.length;
  }

  series(q: SeriesQuery): SeriesPoint[] {
    this.flush();
    return querySeries(this.db, q);
  }

  totals(range: TimeRange): UsageTotals {
    this.flush();
    return queryTotals(this.db, range);
  }

  costBasis(range: TimeRange): CostBasisRow[] {
    this.flush();
    return queryCostBasis(this.db, range);
  }

  /** Newest first, for the request log. */
  recent(limit: number, filters: RecentFilters = {}): UsageRecord[] {
    this.flush();
    return queryRecent(this.db, limit, filters);
  }

  cliproxyAggregate(opts: CliproxyAggregateOptions): CliproxyUsageSnapshot {
    this.flush();
    return cliproxyAggregate(this.db, opts);
  }

  /**
   * Requests/tokens of one account since `since`, queued records included (no flush: the quota
   * scheduler calls this often and it must not force writes).
   */
  accountCounts(accountId: string, since: number): AccountCounts {
    const stored = this.db.open ? queryAccountCounts(this.db, accountId, since) : { requests: 0, tokens: 0, errors: 0 };
    for (const q of this.queue) {
      if (q.accountId !== accountId || q.time < since) continue;
      const r = asUsage(q);
      stored.requests++;
      stored.tokens += r.inputTokens + r.outputTokens;
      if (isFailure(r)) stored.errors++;
    }
    return stored;
  }

  /**
   * Delete records older than `olderThanDays` days (0 or less keeps everything), all at once.
   * Returns rows deleted. The cutoff rounds down to a whole hour, the rollup's coarser grain.
   */
  prune(olderThanDays: number): number {
    if (!(olderThanDays > 0)) return 0;
    this.flush();
    const cutoff = retentionCutoff(this.now(), olderThanDays);
    let total = 0;
    for (let step = { deleted: 0, done: false }; !step.done; total += step.deleted) {
      step = pruneStep(this.db, cutoff, this.pruneBatch);
      this.wal.afterWrite();
    }
    return total;
  }

  exportJson(range?: Partial<TimeRange>): UsageExport {
    this.flush();
    return buildExport(queryRange(this.db, range?.from, range?.to), this.now());
  }

  /** Validate and insert an export; records already present (same id) are skipped. */
  importJson(data: unknown): { imported: number; skipped: number } {
    const records = parseImport(data);
    this.flush();
    let imported = 0;
    this.db.transaction(() => {
      const rollup = new RollupBatch();
      for (const r of records) imported += this.insertRow(r, rollup);
      rollup.write(this.upsertRollup);
    }).immediate();
    this.wal.afterWrite();
    return { imported, skipped: records.length - imported };
  }
}
