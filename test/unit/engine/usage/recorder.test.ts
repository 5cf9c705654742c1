import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageRecorder, type UsageRecord } from '../../../../src-main/engine/usage';

const T0 = Date.UTC(2026, 10, 23, 10, 15, 0); // Monday 2026-11-23 10:15 UTC

function rec(over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    time: T0,
    clientKeyLabel: 'laptop',
    inboundFormat: 'openai-chat',
    provider: 'claude',
    accountId: 'claude:a',
    accountLabel: 'a@example.com',
    requestedModel: 'claude-sonnet-4-5',
    upstreamModel: 'claude-sonnet-4-5-20250929',
    inputTokens: 100,
    outputTokens: 50,
    reasoningTokens: 10,
    cachedTokens: 20,
    latencyMs: 800,
    ttftMs: 300,
    status: 200,
    stream: true,
    ...over,
  };
}

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-'));
  dbPath = path.join(dir, 'nested', 'usage.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };

describe('UsageRecorder', () => {
  it('keeps counts across close and reopen', () => {
    const a = new UsageRecorder({ dbPath });
    for (let i = 0; i < 37; i++) a.record(rec({ time: T0 + i * 1000, status: i % 5 === 0 ? 429 : 200 }));
    const before = a.totals(ALL);
    a.close();
    const b = new UsageRecorder({ dbPath });
    const after = b.totals(ALL);
    b.close();
    expect(before.requests).toBe(37);
    expect(after).toEqual(before);
    expect(after.errors).toBe(8);
    expect(after.totalTokens).toBe(37 * 150);
  });

  it('does no I/O in record() and writes within 250 ms', async () => {
    const r = new UsageRecorder({ dbPath });
    r.record(rec());
    expect(r.pending()).toBe(1);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.pending()).toBe(0);
    // Another connection sees the row: it is on disk, not just in memory.
    const other = new UsageRecorder({ dbPath });
    expect(other.totals(ALL).requests).toBe(1);
    other.close();
    r.close();
  });

  it('loses none of 2,000 concurrent records', async () => {
    const r = new UsageRecorder({ dbPath });
    await Promise.all(
      Array.from({ length: 2000 }, async (_, i) => {
        await new Promise((res) => setImmediate(res));
        r.record(rec({ id: `req-${i}`, time: T0 + i }));
      }),
    );
    r.close();
    const again = new UsageRecorder({ dbPath });
    expect(again.totals(ALL).requests).toBe(2000);
    again.close();
  });

  it('counts a request id once', () => {
    const r = new UsageRecorder({ dbPath });
    r.record(rec({ id: 'same' }));
    r.record(rec({ id: 'same' }));
    expect(r.totals(ALL).requests).toBe(1);
    r.close();
  });

  it('rolls up by hour, day and week per group', () => {
    const r = new UsageRecorder({ dbPath });
    const H = 3_600_000;
    r.record(rec({ time: T0, requestedModel: 'm1', latencyMs: 100 }));
    r.record(rec({ time: T0 + 10 * 60_000, requestedModel: 'm1', latencyMs: 300, status: 500, errorClass: 'upstream' }));
    r.record(rec({ time: T0 + H, requestedModel: 'm2' }));
    r.record(rec({ time: T0 + 24 * H, requestedModel: 'm1', accountId: 'codex:b', accountLabel: 'b@x', provider: 'codex' }));
    r.record(rec({ time: T0 - 24 * H, requestedModel: 'm1', clientKeyLabel: undefined })); // Sunday: previous week

    const hourly = r.series({ from: T0 - H, to: T0 + 2 * H, bucket: 'hour', groupBy: 'model' });
    expect(hourly).toEqual([
      expect.objectContaining({ bucketStart: Date.UTC(2026, 10, 23, 10), key: 'm1', requests: 2, errors: 1, avgLatencyMs: 200, totalTokens: 300 }),
      expect.objectContaining({ bucketStart: Date.UTC(2026, 10, 23, 11), key: 'm2', requests: 1, errors: 0 }),
    ]);

    const daily = r.series({ from: 0, to: T0 + 48 * H, bucket: 'day', groupBy: 'account' });
    expect(daily.map((p) => [p.bucketStart, p.key, p.label, p.requests])).toEqual([
      [Date.UTC(2026, 10, 22), 'claude:a', 'a@example.com', 1],
      [Date.UTC(2026, 10, 23), 'claude:a', 'a@example.com', 3],
      [Date.UTC(2026, 10, 24), 'codex:b', 'b@x', 1],
    ]);

    const weekly = r.series({ from: 0, to: T0 + 48 * H, bucket: 'week', groupBy: 'provider' });
    expect(weekly.map((p) => [new Date(p.bucketStart).toISOString(), p.key, p.requests])).toEqual([
      ['2026-11-16T00:00:00.000Z', 'claude', 1],
      ['2026-11-23T00:00:00.000Z', 'claude', 3],
      ['2026-11-23T00:00:00.000Z', 'codex', 1],
    ]);

    const byClient = r.series({ from: 0, to: T0 + 48 * H, bucket: 'week', groupBy: 'client' });
    expect(byClient.map((p) => [p.key, p.requests])).toEqual([
      ['', 1],
      ['laptop', 4],
    ]);

    // Day edges follow the requested offset: 23:30 UTC is the next day at UTC+8.
    r.record(rec({ time: Date.UTC(2026, 10, 25, 23, 30), requestedModel: 'late' }));
    const tz = r.series({ from: Date.UTC(2026, 10, 25), to: Date.UTC(2026, 10, 27), bucket: 'day', groupBy: 'model', utcOffsetMinutes: 480 });
    expect(tz).toEqual([expect.objectContaining({ key: 'late', bucketStart: Date.UTC(2026, 10, 26) - 8 * H })]);
    r.close();
  });

  it('lists recent requests newest first with filters', () => {
    const r = new UsageRecorder({ dbPath });
    for (let i = 0; i < 10; i++) {
      r.record(rec({ id: `r${i}`, time: T0 + i, provider: i % 2 ? 'codex' : 'claude', status: i === 7 ? 429 : 200 }));
    }
    expect(r.recent(3).map((x) => x.id)).toEqual(['r9', 'r8', 'r7']);
    expect(r.recent(100, { provider: 'codex' }).map((x) => x.id)).toEqual(['r9', 'r7', 'r5', 'r3', 'r1']);
    expect(r.recent(100, { outcome: 'failure' }).map((x) => x.id)).toEqual(['r7']);
    expect(r.recent(2, { before: T0 + 5 }).map((x) => x.id)).toEqual(['r4', 'r3']);
    const one = r.recent(1)[0]!;
    expect(one).toEqual(rec({ id: 'r9', time: T0 + 9, provider: 'codex' }));
    r.close();
  });

  it('builds the reference aggregate shape', () => {
    const r = new UsageRecorder({ dbPath });
    r.record(rec({ time: Date.UTC(2026, 10, 23, 9, 5), requestedModel: 'gpt-5' }));
    r.record(rec({ time: Date.UTC(2026, 10, 23, 9, 50), requestedModel: 'gpt-5', status: 502, errorClass: 'upstream' }));
    r.record(rec({ time: Date.UTC(2026, 10, 24, 14, 0), clientKeyLabel: 'ci', requestedModel: 'gemini-2.5-pro', inputTokens: 1, outputTokens: 2 }));
    const agg = r.cliproxyAggregate(ALL);
    expect(agg.total_requests).toBe(3);
    expect(agg.success_count).toBe(2);
    expect(agg.failure_count).toBe(1);
    expect(agg.total_tokens).toBe(303);
    expect(agg.requests_by_day).toEqual({ '2026-11-23': 2, '2026-11-24': 1 });
    expect(agg.requests_by_hour).toEqual({ '09': 2, '14': 1 });
    expect(agg.tokens_by_day).toEqual({ '2026-11-23': 300, '2026-11-24': 3 });
    expect(agg.tokens_by_hour).toEqual({ '09': 300, '14': 3 });
    expect(Object.keys(agg.apis)).toEqual(['laptop', 'ci']);
    const gpt = agg.apis.laptop!.models['gpt-5']!;
    expect(gpt.total_requests).toBe(2);
    expect(gpt.details[1]).toEqual({
      timestamp: '2026-11-23T09:50:00.000Z',
      latency_ms: 800,
      source: 'a@example.com',
      auth_index: 'claude:a',
      tokens: { input_tokens: 100, output_tokens: 50, reasoning_tokens: 10, cached_tokens: 20, total_tokens: 150 },
      failed: true,
    });
    r.close();
  });

  it('prunes records older than the retention', () => {
    const r = new UsageRecorder({ dbPath, now: () => T0 });
    r.record(rec({ time: T0 - 40 * 86_400_000 }));
    r.record(rec({ time: T0 - 20 * 86_400_000 }));
    r.record(rec({ time: T0 }));
    expect(r.prune(0)).toBe(0);
    expect(r.prune(30)).toBe(1);
    expect(r.totals(ALL).requests).toBe(2);
    r.close();
  });

  it('exports and re-imports without duplicates', () => {
    const a = new UsageRecorder({ dbPath });
    for (let i = 0; i < 5; i++) a.record(rec({ time: T0 + i }));
    a.record(rec({ time: T0 + 9, ttftMs: undefined, clientKeyLabel: undefined, errorClass: 'timeout', status: 504 }));
    const data = JSON.parse(JSON.stringify(a.exportJson())) as unknown;
    a.close();

    const other = new UsageRecorder({ dbPath: path.join(dir, 'other.db') });
    expect(other.importJson(data)).toEqual({ imported: 6, skipped: 0 });
    expect(other.importJson(data)).toEqual({ imported: 0, skipped: 6 });
    expect(other.totals(ALL).requests).toBe(6);
    expect(other.recent(1)[0]).toEqual(expect.objectContaining({ errorClass: 'timeout', status: 504 }));
    expect(other.recent(1)[0]).not.toHaveProperty('clientKeyLabel');
    other.close();
  });

  it('rejects an invalid import and writes nothing', () => {
    const r = new UsageRecorder({ dbPath });
    expect(() => r.importJson({ format: 'switchyard-usage', version: 1, exportedAt: 'x', records: [{ id: 'a' }] })).toThrow(/records\.0/);
    expect(() => r.importJson('nope')).toThrow(/invalid usage export/);
    expect(r.totals(ALL).requests).toBe(0);
    r.close();
  });

  it('counts an account locally, queued records included', () => {
    const r = new UsageRecorder({ dbPath, flushIntervalMs: 250 });
    r.record(rec({ accountId: 'qwen:1', time: T0 - 2 * 86_400_000 }));
    r.flush();
    r.record(rec({ accountId: 'qwen:1', time: T0 }));
    r.record(rec({ accountId: 'qwen:1', time: T0 + 1, status: 429 }));
    r.record(rec({ accountId: 'other', time: T0 }));
    expect(r.accountCounts('qwen:1', T0 - 86_400_000)).toEqual({ requests: 2, tokens: 300, errors: 1 });
    expect(r.pending()).toBe(3);
    r.close();
  });

  it('ignores records after close', () => {
    const r = new UsageRecorder({ dbPath });
    r.close();
    expect(() => r.record(rec())).not.toThrow();
  });
});
