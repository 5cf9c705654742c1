import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { UsageRecorder, type UsageRecord } from '../../../../src-main/engine/usage';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-rb-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const good: UsageRecord = {
  time: 1_000,
  inboundFormat: 'gemini',
  requestedModel: 'gemini-2.5-pro',
  inputTokens: 1,
  outputTokens: 2,
  reasoningTokens: 0,
  cachedTokens: 0,
  latencyMs: 5,
  status: 200,
  stream: false,
};

it('drops one malformed record without losing its batch', () => {
  const r = new UsageRecorder({ dbPath: path.join(dir, 'u.db') });
  r.record({ ...good, id: 'a' });
  // A caller bug: an object where a string belongs.
  r.record({ ...good, id: 'b', accountId: { oops: true } as unknown as string });
  r.record({ ...good, id: 'c', time: Number.NaN, requestedModel: undefined as unknown as string });
  r.record({ ...good, id: 'd' });
  r.flush();
  expect(r.recent(10).map((x) => x.id).sort()).toEqual(['a', 'c', 'd']);
  expect(r.rejected).toBe(1);
  expect(r.pending()).toBe(0);
  r.close();
});

it('refuses a database written by a newer schema instead of touching it', () => {
  const file = path.join(dir, 'new.db');
  const db = new Database(file);
  db.pragma('user_version = 99');
  db.close();
  expect(() => new UsageRecorder({ dbPath: file })).toThrow(/newer/);
});

it('applies the retention setting at once', () => {
  const now = Date.UTC(2026, 0, 31);
  const r = new UsageRecorder({ dbPath: path.join(dir, 'ret.db'), now: () => now });
  r.record({ ...good, time: now - 10 * 86_400_000 });
  r.record({ ...good, time: now - 1000 });
  r.setRetention(7);
  expect(r.totals({ from: 0, to: Number.MAX_SAFE_INTEGER }).requests).toBe(1);
  r.setRetention(0);
  r.close();
});
