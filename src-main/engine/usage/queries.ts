import type { SqliteDb } from './sqlite';
import { FAILED_SQL } from './schema';
import { DIM_COLUMN, HOUR_MS, SLOT_MS, spanFor, splitRange, type RollupDim } from './rollup';
import { hourCover, hoursCutByEdges } from './mixed-spans';
import { fromRow, type UsageRow } from './rows';
import type { UsageRecord } from './record';

export type SeriesBucket = 'hour' | 'day' | 'week';
export type SeriesGroupBy = 'model' | 'account' | 'provider' | 'client';

export interface TimeRange {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface SeriesQuery extends TimeRange {
  bucket: SeriesBucket;
  groupBy: SeriesGroupBy;
  /** Bucket edges follow this UTC offset (minutes, e.g. 480 for UTC+8). Default 0 (UTC). */
  utcOffsetMinutes?: number;
}

/** One chart point: one bucket × one group key. */
export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  bucketStart: number;
  /** Group key: model id, account id, provider id or client key label ('' when unknown). */
  key: string;
  /** Readable name for the key (account label for accounts, else the key). */
  label: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cachedTokens: number;
  totalTokens: number;
  avgLatencyMs: number;
}

export interface UsageTotals {
  requests: number;
  successes: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cachedTokens: number;
  totalTokens: number;
  avgLatencyMs: number;
  /** Over streamed requests that reported a first token; 0 when none. */
  avgTtftMs: number;
}

export interface RecentFilters {
  provider?: string;
  accountId?: string;
  /** Matches the requested or the upstream model. */
  model?: string;
  clientKeyLabel?: string;
  outcome?: 'success' | 'failure';
  /** Same as `outcome: 'failure'` (the UI contract's spelling). */
  onlyErrors?: boolean;
  from?: number;
  /** Exclusive upper bound on time: pass the last row's time to page back. */
  before?: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** SQL for the start of the bucket of `col` (epoch ms), in epoch ms. Weeks start on Monday. */
function bucketSql(bucket: SeriesBucket, offsetMs: number, col: string): string {
  const local = `(${col} + ${offsetMs})`;
  switch (bucket) {
    case 'hour':
      return `((${local} / ${HOUR}) * ${HOUR} - ${offsetMs})`;
    case 'day':
      return `((${local} / ${DAY}) * ${DAY} - ${offsetMs})`;
    case 'week':
      // 1970-01-01 was a Thursday: shifting by 3 days puts Monday at the start of each 7-day block.
      return `((((${local} / ${DAY}) + 3) / 7 * 7 - 3) * ${DAY} - ${offsetMs})`;
  }
}

const GROUP_COLUMN: Record<SeriesGroupBy, string> = DIM_COLUMN;

/** The sums both sources of usage give (rollup rows, or single records), under one set of names. */
const SUM_NAMES = ['requests', 'errors', 'inputTokens', 'outputTokens', 'reasoningTokens', 'cachedTokens', 'latencySum', 'ttftSum', 'ttftCount'];
const named = (exprs: string[]) => exprs.map((e, i) => `${e} AS ${SUM_NAMES[i]}`).join(', ');
const ROLLUP_SUMS = named(['requests', 'errors', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'cached_tokens', 'latency_ms_sum', 'ttft_ms_sum', 'ttft_count']);
const RECORD_SUMS = named([
  '1',
  `CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END`,
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cached_tokens',
  'latency_ms',
  'COALESCE(ttft_ms, 0)',
  'CASE WHEN ttft_ms IS NULL THEN 0 ELSE 1 END',
]);

/**
 * `[from, to)` as a UNION ALL of the rollup's whole quarter hours and the records of the ragged
 * edges (or the records alone when no whole quarter hour fits, or bucket edges fall between
 * quarter hours; for day and week charts at a quarter-hour offset, whole hours wherever no bucket
 * edge cuts them, see mixed-spans.ts). `cols(source)` gives the leading columns for 'rollup' (slot, '' for missing keys)
 * or 'records' (time, NULL for missing keys). Returns the SQL and its parameters.
 */
function usageSource(
  dim: RollupDim,
  from: number,
  to: number,
  offsetMs: number,
  cols: (source: 'rollup' | 'records', time: string) => string,
  bucket?: SeriesBucket,
): { sql: string; params: Array<number | string> } {
  const span = spanFor(offsetMs);
  const split = span ? splitRange(from, to, span) : undefined;
  const records = (where: string) => `SELECT ${cols('records', 'time')}, ${RECORD_SUMS} FROM usage_records WHERE ${where}`;
  if (!span || !split) return { sql: records('time >= ? AND time < ?'), params: [from, to] };
  const hours = span === SLOT_MS && bucket && bucket !== 'hour' ? hourCover(split.slotFrom, split.slotTo) : undefined;
  const cutHours = hours && hoursCutByEdges(hours.hFrom, hours.hTo, bucket as 'day' | 'week', offsetMs);
  if (hours && cutHours) {
    const cut = JSON.stringify(cutHours);
    const rollup = `SELECT ${cols('rollup', 'slot')}, ${ROLLUP_SUMS} FROM usage_rollup`;
    // Every part an index range (no OR); CROSS JOIN keeps the cut hours the outer loop.
    const quarters = `${rollup} WHERE dim = ? AND span = ${SLOT_MS} AND slot >= ? AND slot < ?`;
    return {
      sql: `${rollup} WHERE dim = ? AND span = ${HOUR_MS} AND slot >= ? AND slot < ? AND slot NOT IN (SELECT value FROM json_each(?))
            UNION ALL ${quarters} UNION ALL ${quarters}
            UNION ALL SELECT ${cols('rollup', 'slot')}, ${ROLLUP_SUMS} FROM (SELECT value AS h FROM json_each(?)) AS cut CROSS JOIN usage_rollup
                       WHERE dim = ? AND span = ${SLOT_MS} AND slot >= cut.h AND slot < cut.h + ${HOUR_MS}
            UNION ALL ${records('time >= ? AND time < ?')}
            UNION ALL ${records('time >= ? AND time < ?')}`,
      params: [dim, hours.hFrom, hours.hTo, cut, dim, split.slotFrom, hours.hFrom, dim, hours.hTo, split.slotTo, cut, dim, from, split.slotFrom, split.slotTo, to],
    };
  }
  return {
    sql: `SELECT ${cols('rollup', 'slot')}, ${ROLLUP_SUMS} FROM usage_rollup WHERE dim = ? AND span = ? AND slot >= ? AND slot < ?
          UNION ALL ${records('time >= ? AND time < ?')}
          UNION ALL ${records('time >= ? AND time < ?')}`,
    params: [dim, span, split.slotFrom, split.slotTo, from, split.slotFrom, split.slotTo, to],
  };
}

export function querySeries(db: SqliteDb, q: SeriesQuery): SeriesPoint[] {
  const offsetMs = Math.round((q.utcOffsetMinutes ?? 0) * 60_000);
  const col = GROUP_COLUMN[q.groupBy];
  const src = usageSource(q.groupBy, q.from, q.to, offsetMs, (source, time) => {
    const key = source === 'rollup' ? 'key' : `COALESCE(${col}, '')`;
    const label = source === 'rollup' ? 'label' : q.groupBy === 'account' ? 'account_label' : key;
    return `${bucketSql(q.bucket, offsetMs, time)} AS bucketStart, ${key} AS key, ${label} AS label`;
  }, q.bucket);
  const rows = db
    .prepare(
      `SELECT bucketStart, key, MAX(label) AS label,
              SUM(requests) AS requests, SUM(errors) AS errors,
              SUM(inputTokens) AS inputTokens, SUM(outputTokens) AS outputTokens,
              SUM(reasoningTokens) AS reasoningTokens, SUM(cachedTokens) AS cachedTokens,
              SUM(latencySum) * 1.0 / SUM(requests) AS avgLatencyMs
         FROM (${src.sql})
        GROUP BY bucketStart, key
        ORDER BY bucketStart, key`,
    )
    .all(...src.params) as Array<Omit<SeriesPoint, 'totalTokens'> & { label: string | null }>;
  return rows.map((r) => ({
    ...r,
    label: r.label || r.key,
    avgLatencyMs: Math.round(r.avgLatencyMs ?? 0),
    totalTokens: r.inputTokens + r.outputTokens,
  }));
}

export { queryCostBasis, type CostBasisRow } from './cost-basis';

export function queryTotals(db: SqliteDb, range: TimeRange): UsageTotals {
  // Every record has exactly one provider key (possibly ''), so that dimension sums to the total.
  const src = usageSource('provider', range.from, range.to, 0, (_source, time) => `${time} AS t`);
  const r = db
    .prepare(
      `SELECT COALESCE(SUM(requests), 0) AS requests,
              COALESCE(SUM(errors), 0) AS errors,
              COALESCE(SUM(inputTokens), 0) AS inputTokens,
              COALESCE(SUM(outputTokens), 0) AS outputTokens,
              COALESCE(SUM(reasoningTokens), 0) AS reasoningTokens,
              COALESCE(SUM(cachedTokens), 0) AS cachedTokens,
              COALESCE(SUM(latencySum) * 1.0 / SUM(requests), 0) AS avgLatencyMs,
              COALESCE(SUM(ttftSum) * 1.0 / NULLIF(SUM(ttftCount), 0), 0) AS avgTtftMs
         FROM (${src.sql})`,
    )
    .get(...src.params) as Omit<UsageTotals, 'successes' | 'totalTokens'>;
  return {
    ...r,
    successes: r.requests - r.errors,
    totalTokens: r.inputTokens + r.outputTokens,
    avgLatencyMs: Math.round(r.avgLatencyMs),
    avgTtftMs: Math.round(r.avgTtftMs),
  };
}

export function queryRecent(db: SqliteDb, limit: number, f: RecentFilters = {}): UsageRecord[] {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (f.provider !== undefined) { where.push('provider = ?'); params.push(f.provider); }
  if (f.accountId !== undefined) { where.push('account_id = ?'); params.push(f.accountId); }
  if (f.clientKeyLabel !== undefined) { where.push('client_key_label = ?'); params.push(f.clientKeyLabel); }
  if (f.model !== undefined) { where.push('(requested_model = ? OR upstream_model = ?)'); params.push(f.model, f.model); }
  if (f.outcome === 'failure' || f.onlyErrors) where.push(FAILED_SQL);
  if (f.outcome === 'success') where.push(`NOT ${FAILED_SQL}`);
  if (f.from !== undefined) { where.push('time >= ?'); params.push(f.from); }
  if (f.before !== undefined) { where.push('time < ?'); params.push(f.before); }
  const n = Math.max(1, Math.min(10_000, Math.floor(limit) || 1));
  const sql = `SELECT * FROM usage_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
               ORDER BY time DESC, id DESC LIMIT ${n}`;
  return (db.prepare(sql).all(...params) as UsageRow[]).map(fromRow);
}

/** Requests and tokens of one account since a moment: the "local" quota meter for Qwen/iFlow. */
export function queryAccountCounts(
  db: SqliteDb,
  accountId: string,
  since: number,
): { requests: number; tokens: number; errors: number } {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS requests,
              COALESCE(SUM(input_tokens + output_tokens), 0) AS tokens,
              COALESCE(SUM(CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END), 0) AS errors
         FROM usage_records WHERE account_id = ? AND time >= ?`,
    )
    .get(accountId, since) as { requests: number; tokens: number; errors: number };
  return r;
}

/** Every record in a range, oldest first (export). */
export function queryRange(db: SqliteDb, from = 0, to = Number.MAX_SAFE_INTEGER): UsageRecord[] {
  return (db.prepare('SELECT * FROM usage_records WHERE time >= ? AND time < ? ORDER BY time, id').all(from, to) as UsageRow[]).map(
    fromRow,
  );
}
