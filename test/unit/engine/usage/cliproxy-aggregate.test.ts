import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageRecorder, type UsageRecord } from '../../../../src-main/engine/usage';

/**
 * The management API's `/usage` (CLIProxyAPI's snapshot, PROTOCOLS.md §9.1) rebuilt from the
 * stored records. Whatever shortcuts the aggregate takes, its answer must be the one a plain walk
 * over the records in [from, to), oldest first, gives — computed here in the test, record by
 * record, with `Date#toISOString` and `Date#getUTC*` — down to the order of every key and detail.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 11, 31, 21, 58, 59, 997); // three days around a year's end, off any minute

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-cliproxy-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Records every 1–17 minutes and odd milliseconds, so they straddle minutes, hours and days; some
 * share a millisecond; keys go missing, models carry prototype names, and every kind of failure
 * (error class, 4xx/5xx, status 0, an empty error class that is no error) is mixed in.
 */
function history(): UsageRecord[] {
  const out: UsageRecord[] = [];
  let t = T0;
  for (let i = 0; t < T0 + 3 * DAY; i++) {
    out.push({
      id: `r${i}`,
      time: t,
      clientKeyLabel: i % 6 === 0 ? undefined : ['laptop', 'ci', '__proto__'][i % 3],
      inboundFormat: 'openai-chat',
      provider: i % 7 === 0 ? undefined : ['claude', 'codex'][i % 2],
      accountId: i % 7 === 0 || i % 11 === 0 ? undefined : `acct-${i % 4}`,
      accountLabel: i % 5 === 0 ? undefined : `user${i % 4}@example.com`,
      requestedModel: ['gpt-5', 'toString', 'constructor', 'claude-sonnet-4-5'][i % 4],
      inputTokens: 100 + (i % 13),
      outputTokens: 10 + (i % 11),
      reasoningTokens: i % 5,
      cachedTokens: i % 17,
      latencyMs: 200 + ((i * 37) % 900),
      status: i % 19 === 0 ? 429 : i % 23 === 0 ? 0 : i % 29 === 0 ? 502 : 200,
      errorClass: i % 19 === 0 ? 'rate_limited' : i % 31 === 0 ? '' : undefined,
      stream: i % 2 === 0,
    });
    // Every ninth record shares the previous one's millisecond (ties keep the order they came in).
    if (i % 9 !== 8) t += (1 + ((i * 5) % 17)) * MIN + ((i * 7919) % 60_000) + 1;
  }
  return out;
}

/** The snapshot by its definition: one pass over the records in range, oldest first. */
function expected(rs: UsageRecord[], from: number, to: number, offsetMin = 0, cap?: number) {
  const pad = (n: number) => String(n).padStart(2, '0');
  const out = {
    total_requests: 0,
    success_count: 0,
    failure_count: 0,
    total_tokens: 0,
    apis: Object.create(null) as Record<string, { total_requests: number; total_tokens: number; models: Record<string, { total_requests: number; total_tokens: number; details: unknown[] }> }>,
    requests_by_day: {} as Record<string, number>,
    requests_by_hour: {} as Record<string, number>,
    tokens_by_day: {} as Record<string, number>,
    tokens_by_hour: {} as Record<string, number>,
  };
  const inRange = rs.filter((r) => r.time >= from && r.time < to);
  inRange.sort((a, b) => a.time - b.time); // stable: ties stay in recording order
  for (const r of inRange) {
    const failed = !!r.errorClass || r.status >= 400 || r.status === 0;
    const total = r.inputTokens + r.outputTokens;
    out.total_requests++;
    if (failed) out.failure_count++;
    else out.success_count++;
    out.total_tokens += total;
    const local = new Date(r.time + offsetMin * MIN);
    const day = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
    const hour = pad(local.getUTCHours());
    out.requests_by_day[day] = (out.requests_by_day[day] ?? 0) + 1;
    out.requests_by_hour[hour] = (out.requests_by_hour[hour] ?? 0) + 1;
    out.tokens_by_day[day] = (out.tokens_by_day[day] ?? 0) + total;
    out.tokens_by_hour[hour] = (out.tokens_by_hour[hour] ?? 0) + total;
    const api = (out.apis[r.clientKeyLabel ?? ''] ??= { total_requests: 0, total_tokens: 0, models: Object.create(null) as never });
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
      tokens: { input_tokens: r.inputTokens, output_tokens: r.outputTokens, reasoning_tokens: r.reasoningTokens, cached_tokens: r.cachedTokens, total_tokens: total },
      failed,
    });
  }
  if (cap !== undefined) for (const api of Object.values(out.apis)) for (const m of Object.values(api.models)) m.details = m.details.slice(-cap);
  return out;
}

const ranges: Array<[string, number, number]> = [
  ['everything', 0, Number.MAX_SAFE_INTEGER],
  ['ragged edges across the year end', T0 + 2 * HOUR + 7 * MIN + 123, T0 + 2 * DAY + 52 * MIN + 999],
  ['less than a minute', T0 + DAY + 2 * MIN, T0 + DAY + 2 * MIN + 40_000],
  ['exact hours', Date.UTC(2027, 0, 1, 6), Date.UTC(2027, 0, 2, 18)],
];

describe('the management /usage snapshot', () => {
  const rs = history();

  it.each(ranges)('over %s equals a walk over the records, keys and details in order', (_name, from, to) => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    // Recorded out of time order (late records, imports): the snapshot still walks by time.
    for (const r of [...rs.slice(200), ...rs.slice(0, 200)]) u.record(r);
    const rsInRecordingOrder = [...rs.slice(200), ...rs.slice(0, 200)];
    expect(JSON.stringify(u.cliproxyAggregate({ from, to }))).toBe(JSON.stringify(expected(rsInRecordingOrder, from, to)));
    u.close();
  });

  it.each([60, 330, 345, -300, -570, 7])('groups days and hours at UTC%+d min by local time', (offset) => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    for (const r of rs) u.record(r);
    for (const [, from, to] of ranges) {
      expect(JSON.stringify(u.cliproxyAggregate({ from, to, utcOffsetMinutes: offset }))).toBe(JSON.stringify(expected(rs, from, to, offset)));
    }
    u.close();
  });

  it('keeps the newest details per model when capped', () => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    for (const r of rs) u.record(r);
    for (const cap of [1, 7, 50]) {
      expect(JSON.stringify(u.cliproxyAggregate({ ...{ from: 0, to: Number.MAX_SAFE_INTEGER }, detailsPerModel: cap }))).toBe(
        JSON.stringify(expected(rs, 0, Number.MAX_SAFE_INTEGER, 0, cap)),
      );
    }
    u.close();
  });

  it('spells timestamps of any year as toISOString does', () => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    const times = [Date.UTC(1969, 11, 31, 23, 59, 59, 999), 0, 1, 59_999, Date.UTC(2026, 0, 1, 0, 0, 0, 5), Date.UTC(10_000, 0, 1, 0, 0, 1, 10)];
    times.forEach((time, i) => u.record({ ...rs[1]!, id: `t${i}`, time }));
    const details = u.cliproxyAggregate({ from: -DAY, to: Number.MAX_SAFE_INTEGER }).apis[rs[1]!.clientKeyLabel!]!.models[rs[1]!.requestedModel]!.details;
    expect(details.map((d) => d.timestamp)).toEqual(times.map((t) => new Date(t).toISOString()));
    u.close();
  });

  it('spells a fractional time (a file another tool wrote) as Date does', () => {
    const file = path.join(dir, 'u.db');
    const u = new UsageRecorder({ dbPath: file });
    u.record({ ...rs[1]!, id: 'f', time: T0 });
    u.close();
    const db = new Database(file);
    db.prepare('UPDATE usage_records SET time = ? WHERE uid = ?').run(T0 + 0.75, 'f');
    db.close();
    const again = new UsageRecorder({ dbPath: file });
    const [detail] = again.cliproxyAggregate({ from: 0, to: Number.MAX_SAFE_INTEGER }).apis[rs[1]!.clientKeyLabel!]!.models[rs[1]!.requestedModel]!.details;
    expect(detail!.timestamp).toBe(new Date(T0 + 0.75).toISOString());
    again.close();
  });
});
