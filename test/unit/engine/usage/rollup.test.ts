import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageRecorder, type UsageRecord } from '../../../../src-main/engine/usage';

/**
 * The Usage page's charts and totals read quarter-hour rollups plus the records at the ragged
 * edges of a range. Whatever the range and the viewer's UTC offset, the answer must be the one a
 * plain sum over the records in [from, to) gives — computed here in the test, record by record.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 23, 0, 7, 31); // Monday 2026-11-23, deliberately off any quarter hour

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-rollup-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Deterministic records over 10 days, every 7–23 minutes, with missing keys and failures mixed in. */
function history(): UsageRecord[] {
  const out: UsageRecord[] = [];
  let t = T0;
  for (let i = 0; t < T0 + 10 * DAY; i++) {
    out.push({
      id: `r${i}`,
      time: t,
      clientKeyLabel: i % 5 === 0 ? undefined : `key-${i % 3}`,
      inboundFormat: 'openai-chat',
      provider: i % 7 === 0 ? undefined : ['claude', 'codex'][i % 2],
      accountId: i % 7 === 0 ? undefined : `acct-${i % 4}`,
      accountLabel: i % 7 === 0 ? undefined : `user${i % 4}@example.com`,
      requestedModel: ['m-a', 'm-b', 'm-c'][i % 3],
      inputTokens: 100 + (i % 13),
      outputTokens: 10 + (i % 11),
      reasoningTokens: i % 5,
      cachedTokens: i % 17,
      latencyMs: 200 + ((i * 37) % 900),
      ttftMs: i % 4 === 0 ? undefined : 50 + (i % 60),
      status: i % 19 === 0 ? 429 : 200,
      errorClass: i % 19 === 0 ? 'rate_limited' : undefined,
      stream: i % 2 === 0,
    });
    t += (7 + ((i * 5) % 17)) * MIN + ((i * 7919) % 60_000);
  }
  return out;
}

const failed = (r: UsageRecord) => !!r.errorClass || r.status >= 400 || r.status === 0;

function expectedTotals(rs: UsageRecord[], from: number, to: number) {
  const inRange = rs.filter((r) => r.time >= from && r.time < to);
  const ttft = inRange.filter((r) => r.ttftMs !== undefined);
  const sum = (f: (r: UsageRecord) => number, xs = inRange) => xs.reduce((a, r) => a + f(r), 0);
  const errors = inRange.filter(failed).length;
  return {
    requests: inRange.length,
    successes: inRange.length - errors,
    errors,
    inputTokens: sum((r) => r.inputTokens),
    outputTokens: sum((r) => r.outputTokens),
    reasoningTokens: sum((r) => r.reasoningTokens),
    cachedTokens: sum((r) => r.cachedTokens),
    totalTokens: sum((r) => r.inputTokens + r.outputTokens),
    avgLatencyMs: inRange.length ? Math.round(sum((r) => r.latencyMs) / inRange.length) : 0,
    avgTtftMs: ttft.length ? Math.round(sum((r) => r.ttftMs!, ttft) / ttft.length) : 0,
  };
}

/** Hourly/daily buckets by local time at `offsetMin`, grouped by model, as the chart shows them. */
function expectedSeries(rs: UsageRecord[], from: number, to: number, bucketMs: number, offsetMin: number) {
  const off = offsetMin * MIN;
  const groups = new Map<string, UsageRecord[]>();
  for (const r of rs) {
    if (r.time < from || r.time >= to) continue;
    const start = Math.floor((r.time + off) / bucketMs) * bucketMs - off;
    const k = `${start}|${r.requestedModel}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([k, g]) => ({ bucketStart: Number(k.split('|')[0]), key: k.split('|')[1], requests: g.length, errors: g.filter(failed).length, inputTokens: g.reduce((a, r) => a + r.inputTokens, 0) }))
    .sort((a, b) => a.bucketStart - b.bucketStart || a.key.localeCompare(b.key));
}

/** Per account × model, as the cost estimate reads it: labels and providers are the largest seen. */
function expectedCostBasis(rs: UsageRecord[], from: number, to: number) {
  const groups = new Map<string, UsageRecord[]>();
  for (const r of rs) {
    if (r.time < from || r.time >= to) continue;
    const k = JSON.stringify([r.accountId ?? '', r.requestedModel]);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const max = (xs: Array<string | undefined>) => xs.filter((x): x is string => x !== undefined).sort().pop() ?? '';
  return [...groups.entries()]
    .map(([k, g]) => {
      const [accountId, model] = JSON.parse(k) as [string, string];
      const sum = (f: (r: UsageRecord) => number) => g.reduce((a, r) => a + f(r), 0);
      return {
        accountId,
        accountLabel: max(g.map((r) => r.accountLabel)),
        provider: max(g.map((r) => r.provider)),
        model,
        requests: g.length,
        inputTokens: sum((r) => r.inputTokens),
        outputTokens: sum((r) => r.outputTokens),
        reasoningTokens: sum((r) => r.reasoningTokens),
      };
    })
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

const ranges: Array<[string, number, number]> = [
  ['everything', 0, Number.MAX_SAFE_INTEGER],
  ['ragged edges', T0 + 3 * DAY + 7 * MIN + 123, T0 + 6 * DAY + 52 * MIN + 999],
  ['less than a quarter hour', T0 + DAY + 2 * MIN, T0 + DAY + 14 * MIN],
  ['exact quarter hours', Date.UTC(2026, 10, 24, 6, 15), Date.UTC(2026, 10, 27, 18, 45)],
];

describe('usage totals and series over the rollup', () => {
  const rs = history();

  it.each(ranges)('totals over %s equal the sum of the records', (_name, from, to) => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    for (const r of rs) u.record(r);
    expect(u.totals({ from, to })).toEqual(expectedTotals(rs, from, to));
    u.close();
  });

  it.each([0, 60, 330, 345, -300, 7])('hourly and daily series at UTC%+d min equal the records bucketed by local time', (offset) => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    for (const r of rs) u.record(r);
    for (const [, from, to] of ranges) {
      for (const bucket of ['hour', 'day'] as const) {
        const got = u.series({ from, to, bucket, groupBy: 'model', utcOffsetMinutes: offset }).map(({ bucketStart, key, requests, errors, inputTokens }) => ({ bucketStart, key, requests, errors, inputTokens }));
        expect(got).toEqual(expectedSeries(rs, from, to, bucket === 'hour' ? HOUR : DAY, offset));
      }
    }
    u.close();
  });

  it.each([330, 345, -570])('weekly series at UTC%+d min equal the records bucketed by local Monday', (offset) => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    for (const r of rs) u.record(r);
    const off = offset * MIN;
    const monday = (t: number) => (Math.floor((Math.floor((t + off) / DAY) + 3) / 7) * 7 - 3) * DAY - off;
    for (const [, from, to] of [...ranges, ['the whole history, a week edge inside', T0 - DAY + 1234, T0 + 11 * DAY] as const]) {
      const want = new Map<string, { bucketStart: number; key: string; requests: number; inputTokens: number }>();
      for (const r of rs.filter((x) => x.time >= from && x.time < to)) {
        const k = `${monday(r.time)}|${r.requestedModel}`;
        const g = want.get(k) ?? { bucketStart: monday(r.time), key: r.requestedModel, requests: 0, inputTokens: 0 };
        g.requests++;
        g.inputTokens += r.inputTokens;
        want.set(k, g);
      }
      const got = u.series({ from, to, bucket: 'week', groupBy: 'model', utcOffsetMinutes: offset }).map(({ bucketStart, key, requests, inputTokens }) => ({ bucketStart, key, requests, inputTokens }));
      expect(got).toEqual([...want.values()].sort((a, b) => a.bucketStart - b.bucketStart || a.key.localeCompare(b.key)));
    }
    u.close();
  });

  it.each(ranges)('cost basis over %s equals the records summed per account and model', (_name, from, to) => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    for (const r of rs) u.record(r);
    expect(u.costBasis({ from, to })).toEqual(expectedCostBasis(rs, from, to));
    u.close();
  });

  it('labels account groups with the account label, missing keys as ""', () => {
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
    for (const r of rs) u.record(r);
    const pts = u.series({ from: 0, to: Number.MAX_SAFE_INTEGER, bucket: 'week', groupBy: 'account' });
    const byKey = new Map(pts.map((p) => [p.key, p.label]));
    expect(byKey.get('acct-1')).toBe('user1@example.com');
    expect(byKey.get('')).toBe('');
    expect(pts.reduce((a, p) => a + p.requests, 0)).toBe(rs.length);
    u.close();
  });

  it('imports count into the totals once, re-imports not at all', () => {
    const a = new UsageRecorder({ dbPath: path.join(dir, 'a.db') });
    for (const r of rs.slice(0, 300)) a.record(r);
    const data = JSON.parse(JSON.stringify(a.exportJson())) as unknown;
    a.close();
    const b = new UsageRecorder({ dbPath: path.join(dir, 'b.db') });
    b.importJson(data);
    b.importJson(data);
    expect(b.totals({ from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual(expectedTotals(rs.slice(0, 300), 0, Number.MAX_SAFE_INTEGER));
    b.close();
  });

  it('retention drops the same history from the records and the totals', () => {
    const now = T0 + 10 * DAY;
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db'), now: () => now });
    for (const r of rs) u.record(r);
    u.prune(4);
    const kept = rs.filter((r) => r.time >= Math.floor((now - 4 * DAY) / HOUR) * HOUR);
    expect(u.totals({ from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual(expectedTotals(kept, 0, Number.MAX_SAFE_INTEGER));
    expect(u.recent(10_000).length).toBe(kept.length);
    u.close();
  });

  it('retention that cuts a day keeps the cost estimate equal to the records kept', () => {
    const now = T0 + 10 * DAY + 13 * HOUR; // the cutoff falls at 13:00, inside a UTC day
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db'), now: () => now });
    for (const r of rs) u.record(r);
    u.prune(4);
    const kept = rs.filter((r) => r.time >= Math.floor((now - 4 * DAY) / HOUR) * HOUR);
    for (const [, from, to] of ranges) expect(u.costBasis({ from, to })).toEqual(expectedCostBasis(kept, from, to));
    u.close();
  });

  it('retention in the background deletes in steps and ends with the same totals', async () => {
    const now = T0 + 10 * DAY;
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db'), now: () => now });
    for (const r of rs) u.record(r);
    u.setRetention(2);
    for (let i = 0; i < 50 && u.recent(10_000).some((r) => r.time < now - 2 * DAY - HOUR); i++) await new Promise((r) => setImmediate(r));
    const kept = rs.filter((r) => r.time >= Math.floor((now - 2 * DAY) / HOUR) * HOUR);
    expect(u.totals({ from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual(expectedTotals(kept, 0, Number.MAX_SAFE_INTEGER));
    u.setRetention(0);
    u.close();
  });
});

describe('schema v3 migration', () => {
  it('fills the cost estimate’s rollup in a v3 file written before it had one', () => {
    const file = path.join(dir, 'v3.db');
    const rs = history();
    const u = new UsageRecorder({ dbPath: file });
    for (const r of rs) u.record(r);
    u.close();
    const db = new Database(file);
    db.exec("DELETE FROM usage_rollup WHERE dim = 'cost'");
    db.close();
    const again = new UsageRecorder({ dbPath: file });
    const [, from, to] = ranges[1]!;
    expect(again.costBasis({ from, to })).toEqual(expectedCostBasis(rs, from, to));
    again.close();
  });

  it('fills the rollup from a v2 file’s records, keeping every record', () => {
    const file = path.join(dir, 'old.db');
    const u = new UsageRecorder({ dbPath: file });
    for (const r of history()) u.record(r);
    u.close();
    // Turn it back into what version 2 left: no rollup table, user_version 2.
    const db = new Database(file);
    db.exec('DROP TABLE usage_rollup');
    db.pragma('user_version = 2');
    db.close();

    const again = new UsageRecorder({ dbPath: file });
    const rs = history();
    expect(again.totals({ from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual(expectedTotals(rs, 0, Number.MAX_SAFE_INTEGER));
    expect(again.recent(10_000).length).toBe(rs.length);
    again.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    expect((check.prepare("SELECT SUM(requests) AS n FROM usage_rollup WHERE dim = 'model' AND span = 900000").get() as { n: number }).n).toBe(rs.length);
    check.close();
  });
});
