import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageRecorder, usageFromRequestRecord } from '../../../../src-main/engine/usage';
import type { RequestRecord } from '../../../../src-main/engine/pipeline/types';

// Finished requests reach the history as the pipeline closed them; they are written in batches
// later. These say what that must never cost: a record lost, or a reader that misses one.

const T0 = Date.UTC(2026, 10, 23, 10, 15, 0);

function request(i: number, over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: `req-${i}`,
    time: T0 + i * 1000,
    clientKeyLabel: 'laptop',
    inboundFormat: 'openai-chat',
    operation: 'generate',
    provider: 'codex',
    accountId: 'codex:a',
    accountLabel: 'a@example.com',
    requestedModel: 'gpt-5',
    upstreamModel: 'gpt-5',
    stream: false,
    status: 200,
    usage: { inputTokens: 10, outputTokens: 5, reasoningTokens: 1, cachedInputTokens: 2 },
    latencyMs: 12,
    attempts: 1,
    upstreamStatus: 200,
    tried: [{ accountId: 'codex:a', accountLabel: 'a@example.com', provider: 'codex', outcome: 'ok', reason: 'served', status: 200 }],
    ...over,
  };
}

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-rq-'));
  dbPath = path.join(dir, 'usage.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };

describe('request records in the usage history', () => {
  it('stores a finished request as its usage record, and a stop loses none of the queued ones', () => {
    const a = new UsageRecorder({ dbPath });
    const failed = request(1, { status: 429, errorClass: 'rate_limit', upstreamStatus: 429, upstreamMessage: 'slow down', retryAt: T0 + 60_000 });
    for (const r of [request(0), failed, request(2)]) a.record(r);
    expect(a.pending()).toBe(3);
    a.close();
    const b = new UsageRecorder({ dbPath });
    const stored = b.recent(10);
    b.close();
    expect(stored.map((r) => r.id)).toEqual(['req-2', 'req-1', 'req-0']);
    expect(stored[1]).toEqual({ ...usageFromRequestRecord(failed), latencyMs: 12 });
    expect(stored[1]).toMatchObject({ id: 'req-1', status: 429, errorClass: 'rate_limit', upstreamMessage: 'slow down', inputTokens: 10, cachedTokens: 2 });
  });

  it('every reader sees the records handed over just before, without waiting for the timer', () => {
    const r = new UsageRecorder({ dbPath });
    const span = { from: T0, to: T0 + 3_600_000 };
    r.record(request(0));
    expect(r.totals(span).requests).toBe(1);
    r.record(request(1));
    expect(r.series({ ...span, bucket: 'hour', groupBy: 'model' }).reduce((n, p) => n + p.requests, 0)).toBe(2);
    r.record(request(2));
    expect(r.costBasis(span)).toMatchObject([{ accountId: 'codex:a', model: 'gpt-5', requests: 3 }]);
    r.record(request(3));
    expect(r.recent(10)).toHaveLength(4);
    r.record(request(4));
    expect(r.cliproxyAggregate(span).total_requests).toBe(5);
    r.record(request(5));
    expect(r.exportJson(span).records).toHaveLength(6);
    r.record(request(6));
    expect(r.accountCounts('codex:a', T0)).toEqual({ requests: 7, tokens: 7 * 15, errors: 0 });
    r.close();
  });

  it('a batch the database refuses is kept, reported, and written once the database takes it', () => {
    const errors: unknown[] = [];
    const r = new UsageRecorder({ dbPath, onError: (e) => errors.push(e) });
    // The file may not grow by one page: what a full disk looks like to SQLite.
    const db = (r as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    for (let i = 0; i < 50; i++) r.record(request(i));
    expect(r.flush()).toBe(0);
    expect(String(errors[0])).toMatch(/full/);
    expect(r.pending()).toBe(50);
    expect(r.rejected).toBe(0);
    db.pragma('max_page_count = 1073741823');
    r.record(request(50));
    expect(r.flush()).toBe(51);
    expect(r.totals(ALL)).toMatchObject({ requests: 51, inputTokens: 510 });
    expect(r.series({ ...ALL, from: T0, bucket: 'hour', groupBy: 'account' })[0]).toMatchObject({ key: 'codex:a', requests: 51 });
    r.close();
  });
});
