import type { SqliteDb } from './sqlite';
import { COST_DIM, DAY_MS, HOUR_MS, splitRange } from './rollup';
import type { TimeRange } from './queries';

/** Tokens per account × model over a range (per-account cost estimates: prices are per model). */
export interface CostBasisRow {
  accountId: string;
  accountLabel: string;
  provider: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

const COST_SLOTS = (span: number) =>
  `SELECT key, label, requests, input_tokens, output_tokens, reasoning_tokens FROM usage_rollup
    WHERE dim = '${COST_DIM}' AND span = ${span} AND slot >= ? AND slot < ?`;

/**
 * The cost dimension's slots summed per key first (a key per account × provider × model), and
 * only those few sums' keys (`account U+0001 provider U+0001 model`) taken apart.
 */
const fromRollup = (slots: string) => `
  SELECT substr(key, 1, instr(key, char(1)) - 1) AS accountId, label AS accountLabel,
         substr(rest, 1, instr(rest, char(1)) - 1) AS provider, substr(rest, instr(rest, char(1)) + 1) AS model,
         requests, inputTokens, outputTokens, reasoningTokens
    FROM (SELECT key, substr(key, instr(key, char(1)) + 1) AS rest, MAX(label) AS label, SUM(requests) AS requests,
                 SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens, SUM(reasoning_tokens) AS reasoningTokens
            FROM (${slots}) GROUP BY key)`;
const FROM_RECORDS = `
  SELECT COALESCE(account_id, '') AS accountId, account_label AS accountLabel, provider, requested_model AS model,
         1 AS requests, input_tokens AS inputTokens, output_tokens AS outputTokens, reasoning_tokens AS reasoningTokens
    FROM usage_records WHERE time >= ? AND time < ?`;

/**
 * Whole UTC days and whole hours from the rollup (a few rows per day, however many requests), the
 * ragged edges of the range from the records: a quarter's estimate reads 90 days of sums.
 */
export function queryCostBasis(db: SqliteDb, range: TimeRange): CostBasisRow[] {
  const hours = splitRange(range.from, range.to, HOUR_MS);
  let source = FROM_RECORDS;
  let params: number[] = [range.from, range.to];
  if (hours) {
    const days = splitRange(hours.slotFrom, hours.slotTo, DAY_MS);
    const slots = days
      ? { sql: `${COST_SLOTS(DAY_MS)} UNION ALL ${COST_SLOTS(HOUR_MS)} UNION ALL ${COST_SLOTS(HOUR_MS)}`, params: [days.slotFrom, days.slotTo, hours.slotFrom, days.slotFrom, days.slotTo, hours.slotTo] }
      : { sql: COST_SLOTS(HOUR_MS), params: [hours.slotFrom, hours.slotTo] };
    source = `${fromRollup(slots.sql)} UNION ALL ${FROM_RECORDS} UNION ALL ${FROM_RECORDS}`;
    params = [...slots.params, range.from, hours.slotFrom, hours.slotTo, range.to];
  }
  return db
    .prepare(
      `SELECT accountId, COALESCE(MAX(accountLabel), '') AS accountLabel, COALESCE(MAX(provider), '') AS provider, model,
              SUM(requests) AS requests, COALESCE(SUM(inputTokens), 0) AS inputTokens,
              COALESCE(SUM(outputTokens), 0) AS outputTokens, COALESCE(SUM(reasoningTokens), 0) AS reasoningTokens
         FROM (${source})
        GROUP BY accountId, model
        ORDER BY accountId, model`,
    )
    .all(...params) as CostBasisRow[];
}
