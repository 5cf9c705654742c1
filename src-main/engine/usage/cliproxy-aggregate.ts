import type { SqliteDb } from './sqlite';
import type { UsageRow } from './rows';
import { isFailure } from './record';
import type { TimeRange } from './queries';

/**
 * The reference system's usage snapshot (CLIProxyAPI `/v0/management/usage`, PROTOCOLS.md §9.1),
 * rebuilt from our persisted records so tools written for it keep working.
 */
export interface CliproxyTokenStats {
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cached_tokens: number;
  total_tokens: number;
}

export interface CliproxyRequestDetail {
  /** RFC 3339. */
  timestamp: string;
  latency_ms: number;
  /** The account that served the request (label, e.g. the e-mail). */
  source: string;
  /** Our stable account id plays the role of the reference's auth index. */
  auth_index: string;
  tokens: CliproxyTokenStats;
  failed: boolean;
}

export interface CliproxyModelStats {
  total_requests: number;
  total_tokens: number;
  details: CliproxyRequestDetail[];
}

export interface CliproxyApiStats {
  total_requests: number;
  total_tokens: number;
  models: Record<string, CliproxyModelStats>;
}

export interface CliproxyUsageSnapshot {
  total_requests: number;
  success_count: number;
  failure_count: number;
  total_tokens: number;
  /** Keyed by client key label (we never keep the key itself). */
  apis: Record<string, CliproxyApiStats>;
  /** `YYYY-MM-DD` → count. */
  requests_by_day: Record<string, number>;
  /** Hour of day `00`..`23` → count (the reference folds all days into 24 slots). */
  requests_by_hour: Record<string, number>;
  tokens_by_day: Record<string, number>;
  tokens_by_hour: Record<string, number>;
}

export interface CliproxyAggregateOptions extends TimeRange {
  /** Day/hour keys in this UTC offset (minutes). Default 0. */
  utcOffsetMinutes?: number;
  /** Newest details kept per model (the reference keeps all; big ranges get heavy). Default unlimited. */
  detailsPerModel?: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

const COLUMN_NAMES = [
  'time', 'client_key_label', 'requested_model', 'account_label', 'provider', 'account_id', 'input_tokens',
  'output_tokens', 'reasoning_tokens', 'cached_tokens', 'latency_ms', 'status', 'error_class',
] as const;
const COLUMNS = COLUMN_NAMES.join(', ');
type AggregateRow = Pick<UsageRow, (typeof COLUMN_NAMES)[number]>;

export function cliproxyAggregate(db: SqliteDb, opts: CliproxyAggregateOptions): CliproxyUsageSnapshot {
  const offsetMs = Math.round((opts.utcOffsetMinutes ?? 0) * 60_000);
  const out: CliproxyUsageSnapshot = {
    total_requests: 0,
    success_count: 0,
    failure_count: 0,
    total_tokens: 0,
    apis: Object.create(null) as Record<string, CliproxyApiStats>,
    requests_by_day: {},
    requests_by_hour: {},
    tokens_by_day: {},
    tokens_by_hour: {},
  };
  // Iterate instead of .all(): a year of records should not sit in memory twice. Only the columns
  // this shape shows: no failure detail to parse per request.
  const stmt = db.prepare(`SELECT ${COLUMNS} FROM usage_records WHERE time >= ? AND time < ? ORDER BY time`);
  for (const raw of stmt.iterate(opts.from, opts.to)) {
    const row = raw as AggregateRow;
    const r = {
      time: row.time,
      clientKeyLabel: row.client_key_label,
      requestedModel: row.requested_model,
      accountLabel: row.account_label,
      provider: row.provider,
      accountId: row.account_id,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      reasoningTokens: row.reasoning_tokens,
      cachedTokens: row.cached_tokens,
      latencyMs: row.latency_ms,
    };
    const failed = isFailure({ status: row.status, errorClass: row.error_class ?? undefined });
    const total = r.inputTokens + r.outputTokens;
    out.total_requests++;
    if (failed) out.failure_count++;
    else out.success_count++;
    out.total_tokens += total;

    const local = new Date(r.time + offsetMs);
    const day = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
    const hour = pad(local.getUTCHours());
    out.requests_by_day[day] = (out.requests_by_day[day] ?? 0) + 1;
    out.requests_by_hour[hour] = (out.requests_by_hour[hour] ?? 0) + 1;
    out.tokens_by_day[day] = (out.tokens_by_day[day] ?? 0) + total;
    out.tokens_by_hour[hour] = (out.tokens_by_hour[hour] ?? 0) + total;

    const apiKey = r.clientKeyLabel ?? '';
    // Keys are client-chosen strings (a model named `__proto__` or `toString` is just a name).
    const api = (out.apis[apiKey] ??= { total_requests: 0, total_tokens: 0, models: Object.create(null) as Record<string, CliproxyModelStats> });
    api.total_requests++;
    api.total_tokens += total;
    const model = (api.models[r.requestedModel] ??= { total_requests: 0, total_tokens: 0, details: [] });
    model.total_requests++;
    model.total_tokens += total;
    model.details.push({
      timestamp: new Date(r.time).toISOString(),
      latency_ms: r.latencyMs,
      source: r.accountLabel ?? r.provider ?? '',
      auth_index: r.accountId ?? '',
      tokens: {
        input_tokens: r.inputTokens,
        output_tokens: r.outputTokens,
        reasoning_tokens: r.reasoningTokens,
        cached_tokens: r.cachedTokens,
        total_tokens: total,
      },
      failed,
    });
    const cap = opts.detailsPerModel;
    if (cap !== undefined && model.details.length > cap * 2) model.details.splice(0, model.details.length - cap);
  }
  if (opts.detailsPerModel !== undefined) {
    const cap = opts.detailsPerModel;
    for (const api of Object.values(out.apis)) {
      for (const m of Object.values(api.models)) if (m.details.length > cap) m.details.splice(0, m.details.length - cap);
    }
  }
  return out;
}
