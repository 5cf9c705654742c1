import type { SqliteDb } from './sqlite';
import { COST_DIM, HOUR_MS, splitRange } from './rollup';
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

/**
 * The cost dimension's hours summed per key first (a key per account × provider × model), and
 * only those few sums' keys (`account U+0001 provider U+0001 model`) taken apart.
 */
const FROM_ROLLUP = `
  SELECT substr(key, 1, instr(key, char(1)) - 1) AS accountId, label AS accountLabel,
         substr(rest, 1, instr(rest, char(1)) - 1) AS provider, substr(rest, instr(rest, char(1)) + 1) AS model,
         requests, inputTokens, outputTokens, reasoningTokens
    FROM (SELECT key, substr(key, instr(key, char(1)) + 1) AS rest, MAX(label) AS label, SUM(requests) AS requests,
                 SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens, SUM(reasoning_tokens) AS reasoningTokens
            FROM usage_rollup WHERE dim = '${COST_DIM}' AND span = ${HOUR_MS} AND slot >= ? AND slot < ? GROUP BY key)`;
const FROM_RECORDS = `
  SELECT COALESCE(account_id, '') AS accountId, account_label AS accountLabel, provider, requested_model AS model,
         1 AS requests, input_tokens AS inputTokens, output_tokens AS outputTokens, reasoning_tokens AS reasoningTokens
    FROM usage_records WHERE time >= ? AND time < ?`;

/**
 * Whole hours from the rollup (a few rows per hour, however many requests), the ragged edges of
 * the range from the records: a month costs what a month of hours costs, not a month of requests.
 */
export function queryCostBasis(db: SqliteDb, range: TimeRange): CostBasisRow[] {
  const split = splitRange(range.from, range.to, HOUR_MS);
  const source = split ? `${FROM_ROLLUP} UNION ALL ${FROM_RECORDS} UNION ALL ${FROM_RECORDS}` : FROM_RECORDS;
  const params = split ? [split.slotFrom, split.slotTo, range.from, split.slotFrom, split.slotTo, range.to] : [range.from, range.to];
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
