import type { SqliteDb } from './sqlite';
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
/** `00`..`59` and `000`..`999`: a timestamp's seconds and milliseconds without building them per record. */
const SECONDS = Array.from({ length: 60 }, (_, i) => pad(i));
const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * Only the columns this shape shows, fetched as arrays (no object per row, no failure detail to
 * parse): SQLite works out the source label and the failed flag (as isFailure does: an empty
 * error class is no error), so a row crosses into JavaScript as four strings and seven numbers. Records come in time order (ties by insertion),
 * which is also the order of every detail list and of the first appearance of each key.
 */
const AGGREGATE_SQL = `SELECT time, COALESCE(client_key_label, ''), requested_model, COALESCE(account_label, provider, ''),
       COALESCE(account_id, ''), input_tokens, output_tokens, reasoning_tokens, cached_tokens, latency_ms,
       CASE WHEN error_class <> '' OR status >= 400 OR status = 0 THEN 1 ELSE 0 END
  FROM usage_records WHERE time >= ? AND time < ? ORDER BY time`;
type AggregateRow = [time: number, client: string, model: string, source: string, account: string, input: number, output: number, reasoning: number, cached: number, latency: number, failed: 0 | 1];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

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
  // Records arrive in time order, so the local day/hour keys and the timestamp's minute change
  // rarely: each is worked out once per hour (or minute), and the hour's counts added once.
  let hourStart = NaN;
  let day = '';
  let hour = '';
  let hourRequests = 0;
  let hourTokens = 0;
  const addHour = (): void => {
    if (hourRequests === 0) return;
    out.requests_by_day[day] = (out.requests_by_day[day] ?? 0) + hourRequests;
    out.requests_by_hour[hour] = (out.requests_by_hour[hour] ?? 0) + hourRequests;
    out.tokens_by_day[day] = (out.tokens_by_day[day] ?? 0) + hourTokens;
    out.tokens_by_hour[hour] = (out.tokens_by_hour[hour] ?? 0) + hourTokens;
    hourRequests = hourTokens = 0;
  };
  let minuteStart = NaN;
  let minutePrefix = '';
  const cap = opts.detailsPerModel;
  // Iterate instead of .all(): a year of records should not sit in memory twice.
  for (const raw of db.prepare(AGGREGATE_SQL).raw().iterate(opts.from, opts.to)) {
    const [time, apiKey, modelName, source, account, input, output, reasoning, cached, latency, failedFlag] = raw as AggregateRow;
    const failed = failedFlag === 1;
    const total = input + output;
    out.total_requests++;
    if (failed) out.failure_count++;
    else out.success_count++;
    out.total_tokens += total;

    const localHour = Math.floor((time + offsetMs) / HOUR_MS) * HOUR_MS;
    if (localHour !== hourStart) {
      addHour();
      hourStart = localHour;
      const local = new Date(localHour);
      day = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
      hour = pad(local.getUTCHours());
    }
    hourRequests++;
    hourTokens += total;

    // Keys are client-chosen strings (a model named `__proto__` or `toString` is just a name).
    const api = (out.apis[apiKey] ??= { total_requests: 0, total_tokens: 0, models: Object.create(null) as Record<string, CliproxyModelStats> });
    api.total_requests++;
    api.total_tokens += total;
    const model = (api.models[modelName] ??= { total_requests: 0, total_tokens: 0, details: [] });
    model.total_requests++;
    model.total_tokens += total;
    // RFC 3339 as toISOString() spells it: the minute's prefix (any year), then seconds and ms
    // (stored times are whole milliseconds; anything else is left to Date).
    const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    if (minute !== minuteStart) {
      minuteStart = minute;
      minutePrefix = new Date(minute).toISOString().slice(0, -7);
    }
    const ms = time - minute;
    model.details.push({
      timestamp: Number.isInteger(time) ? `${minutePrefix}${SECONDS[Math.floor(ms / 1000)]}.${MILLIS[ms % 1000]}Z` : new Date(time).toISOString(),
      latency_ms: latency,
      source,
      auth_index: account,
      tokens: { input_tokens: input, output_tokens: output, reasoning_tokens: reasoning, cached_tokens: cached, total_tokens: total },
      failed,
    });
    if (cap !== undefined && model.details.length > cap * 2) model.details.splice(0, model.details.length - cap);
  }
  addHour();
  if (cap !== undefined) {
    for (const api of Object.values(out.apis)) {
      for (const m of Object.values(api.models)) if (m.details.length > cap) m.details.splice(0, m.details.length - cap);
    }
  }
  return out;
}
