import type { Statement } from 'better-sqlite3';
import { preparedOnce, type SqliteDb } from './sqlite';
import type { RowValues } from './rows';

/**
 * Totals per model, per account, per provider and per client key over hours and over quarter
 * hours (`usage_rollup`, one row per dimension × span × slot × key), kept in the same transaction
 * as the records they sum. The Usage page's charts and totals read these instead of scanning every
 * request: a chart reads one dimension, so a slot costs as many rows as that dimension has keys,
 * however many requests it held. Hours serve viewers whose UTC offset is whole hours; quarter hours
 * the others (UTC+5:30, UTC+5:45: real offsets are multiples of 15 minutes). Missing keys are ''.
 */
export const SLOT_MS = 15 * 60_000;
export const HOUR_MS = 60 * 60_000;
/** UTC days: the cost dimension's coarsest span (a 90-day estimate reads 90 rows per key, not 2,160). */
export const DAY_MS = 24 * HOUR_MS;
const SPANS = [SLOT_MS, HOUR_MS];

/** The coarsest span whose slots never straddle a bucket edge at this UTC offset. */
export function spanFor(offsetMs: number): number | undefined {
  if (offsetMs % HOUR_MS === 0) return HOUR_MS;
  return offsetMs % SLOT_MS === 0 ? SLOT_MS : undefined;
}

/** The chart's group-by choices; totals read the smallest ('provider': every record has one key there). */
export type RollupDim = 'model' | 'account' | 'provider' | 'client';
export const DIM_COLUMN: Record<RollupDim, string> = {
  model: 'requested_model',
  account: 'account_id',
  provider: 'provider',
  client: 'client_key_label',
};
const DIMS = Object.keys(DIM_COLUMN) as RollupDim[];

/**
 * The cost estimate's dimension: account × provider × model (prices are per model, estimates per
 * account), over hours and UTC days. Its key is `account U+0001 provider U+0001 model`: ids and provider names never
 * hold U+0001 (nor NUL, which SQLite's text functions stop at), so the model (a client's string) is
 * whatever follows the second one.
 */
export const COST_DIM = 'cost';
const COST_KEY_SQL = (account: string, provider: string, model: string) => `${account} || char(1) || ${provider} || char(1) || ${model}`;
const costKey = (account: string, provider: string, model: string): string => `${account}\u0001${provider}\u0001${model}`;

export const ROLLUP_DDL = `
  CREATE TABLE IF NOT EXISTS usage_rollup (
    dim TEXT NOT NULL,
    span INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    key TEXT NOT NULL,
    label TEXT,
    requests INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    cached_tokens INTEGER NOT NULL,
    latency_ms_sum INTEGER NOT NULL,
    ttft_ms_sum INTEGER NOT NULL,
    ttft_count INTEGER NOT NULL,
    PRIMARY KEY (dim, span, slot, key)
  ) WITHOUT ROWID;
`;

const SUMS_OF_RECORDS = (failedSql: string) =>
  `COUNT(*) AS requests, SUM(CASE WHEN ${failedSql} THEN 1 ELSE 0 END) AS errors, SUM(input_tokens) AS input_tokens,
   SUM(output_tokens) AS output_tokens, SUM(reasoning_tokens) AS reasoning_tokens, SUM(cached_tokens) AS cached_tokens,
   SUM(latency_ms) AS latency_ms_sum, COALESCE(SUM(ttft_ms), 0) AS ttft_ms_sum, COUNT(ttft_ms) AS ttft_count`;
const SUMS_OF_ROLLUP = `SUM(requests), SUM(errors), SUM(input_tokens), SUM(output_tokens), SUM(reasoning_tokens),
   SUM(cached_tokens), SUM(latency_ms_sum), SUM(ttft_ms_sum), SUM(ttft_count)`;

/**
 * Fill the rollup from the records already stored (schema migration), reading the records once:
 * quarter hours × every key combination into a temporary table, each dimension's quarter hours
 * from that, and its hours from its quarter hours (`only`: the cost dimension alone).
 */
export function backfillRollup(db: SqliteDb, failedSql: string, only?: typeof COST_DIM): void {
  const keys = DIMS.map((d) => `COALESCE(${DIM_COLUMN[d]}, '') AS ${d}`).join(', ');
  db.exec(`CREATE TEMP TABLE rollup_fill AS
    SELECT (time / ${SLOT_MS}) * ${SLOT_MS} AS slot, ${keys}, MAX(account_label) AS label,
           ${SUMS_OF_RECORDS(failedSql)}
      FROM usage_records GROUP BY 1, 2, 3, 4, 5`);
  db.prepare(
    `INSERT INTO usage_rollup SELECT '${COST_DIM}', ${HOUR_MS}, (slot / ${HOUR_MS}) * ${HOUR_MS}, ${COST_KEY_SQL('account', 'provider', 'model')}, MAX(label), ${SUMS_OF_ROLLUP}
       FROM rollup_fill GROUP BY 3, 4`,
  ).run();
  db.prepare(
    `INSERT INTO usage_rollup SELECT dim, ${DAY_MS}, (slot / ${DAY_MS}) * ${DAY_MS}, key, MAX(label), ${SUMS_OF_ROLLUP}
       FROM usage_rollup WHERE dim = '${COST_DIM}' AND span = ${HOUR_MS} GROUP BY 3, 4`,
  ).run();
  for (const dim of only ? [] : DIMS) {
    db.prepare(
      `INSERT INTO usage_rollup SELECT ?, ${SLOT_MS}, slot, ${dim}, ${dim === 'account' ? 'MAX(label)' : 'NULL'}, ${SUMS_OF_ROLLUP}
         FROM rollup_fill GROUP BY slot, ${dim}`,
    ).run(dim);
    db.prepare(
      `INSERT INTO usage_rollup SELECT dim, ${HOUR_MS}, (slot / ${HOUR_MS}) * ${HOUR_MS}, key, MAX(label), ${SUMS_OF_ROLLUP}
         FROM usage_rollup WHERE dim = ? AND span = ${SLOT_MS} GROUP BY 3, 4`,
    ).run(dim);
  }
  db.exec('DROP TABLE temp.rollup_fill');
}

/** A stored row's failure, as FAILED_SQL (schema.ts) has it. */
export const rowFailed = (row: RowValues): boolean => row[16] !== null || row[15] >= 400 || row[15] === 0;

type Sums = [requests: number, errors: number, input: number, output: number, reasoning: number, cached: number, latency: number, ttftSum: number, ttftCount: number];

/** One quarter hour × one combination of the four keys: what a batch's rows sum to. */
interface Cell {
  slot: number;
  keys: Record<RollupDim, string>;
  label: string | null;
  sums: Sums;
}

type StoredDim = RollupDim | typeof COST_DIM;

interface Group {
  key: [dim: StoredDim, span: number, slot: number, key: string];
  label: string | null;
  sums: Sums;
}

/** Length-prefixed: a key holding the separator cannot pass for another combination. */
const cellId = (slot: number, m: string, a: string, p: string, c: string): string =>
  `${slot}|${m.length}|${m}${a.length}|${a}${p.length}|${p}${c.length}|${c}`;

function addSums(into: Sums, from: Sums): void {
  for (let i = 0; i < into.length; i++) into[i] += from[i]!;
}

const maxLabel = (a: string | null, b: string | null): string | null => (b !== null && (a === null || b > a) ? b : a);

/**
 * Sums of one batch of inserted rows, written with one upsert per dimension × slot × key. A row
 * costs one lookup (its quarter hour × key combination); the dimensions and the hours are summed
 * from those cells when the batch is written, so the per-row work does not grow with them.
 */
export class RollupBatch {
  private readonly cells = new Map<string, Cell>();

  add(row: RowValues, failed: boolean): void {
    const slot = Math.floor(row[1] / SLOT_MS) * SLOT_MS;
    const model = row[7];
    const account = row[5] ?? '';
    const provider = row[4] ?? '';
    const client = row[2] ?? '';
    const id = cellId(slot, model, account, provider, client);
    let c = this.cells.get(id);
    if (!c) {
      c = { slot, keys: { model, account, provider, client }, label: null, sums: [0, 0, 0, 0, 0, 0, 0, 0, 0] };
      this.cells.set(id, c);
    }
    c.label = maxLabel(c.label, row[6]);
    const s = c.sums;
    s[0]++;
    if (failed) s[1]++;
    s[2] += row[9];
    s[3] += row[10];
    s[4] += row[11];
    s[5] += row[12];
    s[6] += row[13];
    const ttft = row[14];
    if (ttft !== null) {
      s[7] += ttft;
      s[8]++;
    }
  }

  /** Call inside the transaction that inserted the rows. */
  write(upsert: Statement): void {
    const groups = new Map<string, Group>();
    const add = (dim: StoredDim, span: number, slot: number, key: string, label: string | null, sums: Sums) => {
      const id = `${dim}\u0000${span}\u0000${slot}\u0000${key}`;
      let g = groups.get(id);
      if (!g) {
        g = { key: [dim, span, slot, key], label: null, sums: [0, 0, 0, 0, 0, 0, 0, 0, 0] };
        groups.set(id, g);
      }
      g.label = maxLabel(g.label, label);
      addSums(g.sums, sums);
    };
    for (const c of this.cells.values()) {
      const k = c.keys;
      const cost = costKey(k.account, k.provider, k.model);
      add(COST_DIM, HOUR_MS, Math.floor(c.slot / HOUR_MS) * HOUR_MS, cost, c.label, c.sums);
      add(COST_DIM, DAY_MS, Math.floor(c.slot / DAY_MS) * DAY_MS, cost, c.label, c.sums);
      for (const span of SPANS) {
        const slot = Math.floor(c.slot / span) * span;
        for (const dim of DIMS) add(dim, span, slot, k[dim], dim === 'account' ? c.label : null, c.sums);
      }
    }
    for (const g of groups.values()) upsert.run(...g.key, g.label, ...g.sums);
    this.cells.clear();
  }
}

export function prepareRollupUpsert(db: SqliteDb): Statement {
  return db.prepare(`
    INSERT INTO usage_rollup VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (dim, span, slot, key) DO UPDATE SET
      label = CASE WHEN excluded.label IS NULL THEN label
                   WHEN label IS NULL OR excluded.label > label THEN excluded.label
                   ELSE label END,
      requests = requests + excluded.requests,
      errors = errors + excluded.errors,
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
      cached_tokens = cached_tokens + excluded.cached_tokens,
      latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum,
      ttft_ms_sum = ttft_ms_sum + excluded.ttft_ms_sum,
      ttft_count = ttft_count + excluded.ttft_count
  `);
}

/**
 * Delete the rollup's slots before `before` (a whole hour), every dimension and span. The cost
 * day that holds `before` is summed again from the hours it keeps (they may have changed too).
 */
export function deleteRollupBefore(db: SqliteDb, before: number): void {
  const stmt = preparedOnce(db, 'DELETE FROM usage_rollup WHERE dim = ? AND span = ? AND slot < ?');
  for (const dim of DIMS) for (const span of SPANS) stmt.run(dim, span, before);
  stmt.run(COST_DIM, HOUR_MS, before);
  const day = Math.floor(before / DAY_MS) * DAY_MS;
  stmt.run(COST_DIM, DAY_MS, day + DAY_MS);
  preparedOnce(
    db,
    `INSERT INTO usage_rollup SELECT dim, ${DAY_MS}, ?, key, MAX(label), ${SUMS_OF_ROLLUP}
       FROM usage_rollup WHERE dim = '${COST_DIM}' AND span = ${HOUR_MS} AND slot >= ? AND slot < ? GROUP BY key`,
  ).run(day, day, day + DAY_MS);
}

/**
 * Sum the slots that retention cut at `last` (the newest record it deleted; every older one is
 * gone) again from what they hold now, in SQL: the quarter hour holding `last` from its records,
 * the emptied quarter hours before it in that hour dropped, the hour from its quarter hours, the
 * cost hour from its records. Slots before that hour and the cost day are `deleteRollupBefore`'s.
 */
export function resumCutSlots(db: SqliteDb, last: number, failedSql: string): void {
  const quarter = Math.floor(last / SLOT_MS) * SLOT_MS;
  const hour = Math.floor(last / HOUR_MS) * HOUR_MS;
  const del = preparedOnce(db, 'DELETE FROM usage_rollup WHERE dim = ? AND span = ? AND slot >= ? AND slot <= ?');
  for (const dim of DIMS) {
    del.run(dim, SLOT_MS, hour, quarter);
    preparedOnce(
      db,
      `INSERT INTO usage_rollup SELECT ?, ${SLOT_MS}, ?, COALESCE(${DIM_COLUMN[dim]}, ''), ${dim === 'account' ? 'MAX(account_label)' : 'NULL'}, ${SUMS_OF_RECORDS(failedSql)}
         FROM usage_records WHERE time >= ? AND time < ? GROUP BY 4`,
    ).run(dim, quarter, quarter, quarter + SLOT_MS);
    del.run(dim, HOUR_MS, hour, hour);
    preparedOnce(
      db,
      `INSERT INTO usage_rollup SELECT dim, ${HOUR_MS}, ?, key, MAX(label), ${SUMS_OF_ROLLUP}
         FROM usage_rollup WHERE dim = ? AND span = ${SLOT_MS} AND slot >= ? AND slot < ? GROUP BY key`,
    ).run(hour, dim, hour, hour + HOUR_MS);
  }
  del.run(COST_DIM, HOUR_MS, hour, hour);
  preparedOnce(
    db,
    `INSERT INTO usage_rollup SELECT '${COST_DIM}', ${HOUR_MS}, ?, ${COST_KEY_SQL("COALESCE(account_id, '')", "COALESCE(provider, '')", 'requested_model')},
            MAX(account_label), ${SUMS_OF_RECORDS(failedSql)}
       FROM usage_records WHERE time >= ? AND time < ? GROUP BY 4`,
  ).run(hour, hour, hour + HOUR_MS);
}

/**
 * A time range split for the rollup: whole slots [slotFrom, slotTo) come from the rollup, the
 * ragged edges [from, slotFrom) and [slotTo, to) from the records. `undefined` when the range
 * holds no whole slot (then the records answer alone).
 */
export function splitRange(from: number, to: number, span: number): { slotFrom: number; slotTo: number } | undefined {
  const slotFrom = Math.ceil(from / span) * span;
  const slotTo = Math.floor(to / span) * span;
  return slotFrom < slotTo ? { slotFrom, slotTo } : undefined;
}
