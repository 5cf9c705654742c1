import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageRecorder, type UsageRecord } from '../../../../src-main/engine/usage';

/**
 * Retention runs in the background while requests are served: each step is one transaction that
 * blocks the event loop, so a step deletes a bounded number of records however densely they were
 * written — and after every step the Usage page's totals, charts and cost estimate (read from the
 * rollup) must still equal the records that are left, summed here in the test record by record.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 23, 0, 7, 31);
const NOW = T0 + 6 * DAY + 13 * HOUR; // the cutoff (whole hour) falls inside a UTC day

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-retention-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Six days: quiet stretches and bursts (dozens of records in one quarter hour, some in one millisecond). */
function history(): UsageRecord[] {
  const out: UsageRecord[] = [];
  let t = T0;
  for (let i = 0; t < T0 + 6 * DAY; i++) {
    out.push({
      id: `r${i}`,
      time: t,
      clientKeyLabel: i % 5 === 0 ? undefined : `key-${i % 3}`,
      inboundFormat: 'openai-chat',
      provider: i % 7 === 0 ? undefined : ['claude', 'codex'][i % 2],
      accountId: i % 7 === 0 ? undefined : `acct-${i % 4}`,
      // An account's label changes over time: the rollup keeps the largest one of what is left.
      accountLabel: i % 7 === 0 ? undefined : `user${i % 4}-${Math.floor(i / 150)}@example.com`,
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
    const burst = Math.floor(i / 40) % 5 === 0;
    t += burst ? (i % 3 === 0 ? 0 : (i * 7919) % 20_000) : (9 + ((i * 5) % 17)) * MIN + ((i * 7919) % 60_000);
  }
  return out;
}

const failed = (r: UsageRecord) => !!r.errorClass || r.status >= 400 || r.status === 0;

/** What the rollup-backed answers must be, from the records themselves. */
function summary(rs: UsageRecord[], from: number, to: number, offsetMin = 0) {
  const inRange = rs.filter((r) => r.time >= from && r.time < to);
  const byHourAndAccount = new Map<string, { requests: number; errors: number; inputTokens: number; label: string }>();
  const cost = new Map<string, { requests: number; outputTokens: number; accountLabel: string }>();
  for (const r of inRange) {
    const k = `${Math.floor((r.time + offsetMin * MIN) / HOUR) * HOUR - offsetMin * MIN}|${r.accountId ?? ''}`;
    const g = byHourAndAccount.get(k) ?? { requests: 0, errors: 0, inputTokens: 0, label: '' };
    g.requests++;
    g.errors += failed(r) ? 1 : 0;
    g.inputTokens += r.inputTokens;
    if ((r.accountLabel ?? '') > g.label) g.label = r.accountLabel!;
    byHourAndAccount.set(k, g);
    const c = cost.get(`${r.accountId ?? ''}|${r.requestedModel}`) ?? { requests: 0, outputTokens: 0, accountLabel: '' };
    c.requests++;
    c.outputTokens += r.outputTokens;
    if ((r.accountLabel ?? '') > c.accountLabel) c.accountLabel = r.accountLabel!;
    cost.set(`${r.accountId ?? ''}|${r.requestedModel}`, c);
  }
  return {
    requests: inRange.length,
    inputTokens: inRange.reduce((a, r) => a + r.inputTokens, 0),
    series: [...byHourAndAccount.entries()].map(([k, g]) => ({ bucketStart: Number(k.split('|')[0]), key: k.split('|')[1]!, ...g, label: g.label || k.split('|')[1]! })).sort((a, b) => a.bucketStart - b.bucketStart || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    cost: [...cost.entries()].map(([k, c]) => ({ accountId: k.split('|')[0]!, model: k.split('|')[1]!, ...c })).sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : a.model < b.model ? -1 : 1)),
  };
}

/** UTC+5:30 charts read the quarter-hour slots, whole-hour offsets the hours. */
function answers(u: UsageRecorder, from: number, to: number, offsetMin = 0) {
  const t = u.totals({ from, to });
  return {
    requests: t.requests,
    inputTokens: t.inputTokens,
    series: u.series({ from, to, bucket: 'hour', groupBy: 'account', utcOffsetMinutes: offsetMin }).map(({ bucketStart, key, requests, errors, inputTokens, label }) => ({ bucketStart, key, requests, errors, inputTokens, label })),
    cost: u.costBasis({ from, to }).map(({ accountId, model, requests, outputTokens, accountLabel }) => ({ accountId, model, requests, outputTokens, accountLabel })),
  };
}

const RANGES: Array<[number, number]> = [
  [0, Number.MAX_SAFE_INTEGER],
  [T0 + 2 * DAY + 17 * MIN + 5, T0 + 5 * DAY + 3 * HOUR + 1], // ragged edges inside the pruned days
];

describe('retention in bounded steps', () => {
  const rs = history();
  const cutoff = Math.floor((NOW - 3 * DAY) / HOUR) * HOUR;
  const kept = rs.filter((r) => r.time >= cutoff);

  it('deletes at most the step size per step, oldest first, and the rollup agrees with the records after every step', async () => {
    expect(rs.length - kept.length).toBeGreaterThan(200); // enough to take many steps
    const u = new UsageRecorder({ dbPath: path.join(dir, 'u.db'), now: () => NOW, pruneBatch: 7 });
    for (const r of rs) u.record(r);
    u.flush();
    u.setRetention(3); // the first step runs at once, the others one per event-loop turn
    let left = rs;
    let steps = 1;
    for (;;) {
      const ids = new Set(u.recent(10_000).map((r) => r.id));
      const now = rs.filter((r) => ids.has(r.id));
      expect(left.length - now.length).toBeLessThanOrEqual(7);
      // The oldest go first: what is left is a suffix of the history by (time, recording order).
      expect(now).toEqual(rs.slice(rs.length - now.length));
      for (const [from, to] of RANGES) for (const off of [0, 330]) expect(answers(u, from, to, off)).toEqual(summary(now, from, to, off));
      left = now;
      if (now.length === kept.length) break;
      await new Promise((r) => setImmediate(r));
      steps++;
    }
    expect(steps).toBeGreaterThanOrEqual(Math.ceil((rs.length - kept.length) / 7));
    expect(left).toEqual(kept); // everything older than the retention, nothing newer
    u.setRetention(0);
    u.close();
  });

  it('prune() ends where one pass to the cutoff would, whatever the step size', () => {
    for (const pruneBatch of [1, 13, 1000]) {
      const u = new UsageRecorder({ dbPath: path.join(dir, `p${pruneBatch}.db`), now: () => NOW, pruneBatch });
      for (const r of rs) u.record(r);
      expect(u.prune(3)).toBe(rs.length - kept.length);
      expect(u.recent(10_000).map((r) => r.id).reverse()).toEqual(kept.map((r) => r.id));
      for (const [from, to] of [...RANGES, [cutoff - DAY, cutoff + DAY] as [number, number]]) for (const off of [0, 330]) expect(answers(u, from, to, off)).toEqual(summary(kept, from, to, off));
      u.close();
    }
  });
});
