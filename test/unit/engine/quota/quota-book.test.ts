import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuotaBook, quotaSources, type AccountQuota, type QuotaResetEvent, type QuotaThresholdEvent } from '../../../../src-main/engine/quota';
import { ManualClock } from '../../../fakes/quota/manual-clock';
import * as fx from '../../../fakes/quota/fixtures';
import { parseCodexUsage } from '../../../../src-main/engine/providers/codex/quota';
import { providers } from '../../../../src-main/engine/providers';
import type { ProviderId } from '../../../../src-main/engine/providers/provider';
import { readUpstreamFailure } from '../../../../src-main/engine/providers/read-failure';

const { NOW } = fx;
let dir: string;
let clock: ManualClock;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-'));
  clock = new ManualClock(NOW);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function book(extra: Partial<ConstructorParameters<typeof QuotaBook>[0]> = {}): QuotaBook {
  return new QuotaBook({ sources: quotaSources, now: clock.now, timers: clock, dbPath: path.join(dir, 'usage.db'), ...extra });
}

/** Claude headers with a chosen 5-hour utilization and reset. */
function claude5h(fraction: number, resetAt = NOW + 2 * 3_600_000): Record<string, string> {
  return {
    'anthropic-ratelimit-unified-5h-utilization': String(fraction),
    'anthropic-ratelimit-unified-5h-reset': String(Math.floor(resetAt / 1000)),
  };
}

describe('QuotaBook', () => {
  it('turns response headers into account windows', () => {
    const b = book();
    b.observeHeaders('claude:a', 'claude', fx.claudeHeaders);
    b.observeHeaders('codex:b', 'codex', fx.codexHeaders);
    const snap = b.snapshot();
    expect(snap.map((a) => a.accountId)).toEqual(['claude:a', 'codex:b']);
    expect(snap[0]!.windows.map((w) => w.id)).toEqual(['5h', 'weekly', 'weekly-oi', 'extra-usage']);
    expect(snap[0]!.lastTrafficAt).toBe(NOW);
    expect(snap[1]!.windows.find((w) => w.id === 'weekly')!.usedPercent).toBe(63);
    b.close();
  });

  it('never alarms on a balance: Codex without credits, Claude extra usage switched off', () => {
    const b = book();
    const th: QuotaThresholdEvent[] = [];
    b.on('threshold', (e) => th.push(e));
    b.observeHeaders('codex:a', 'codex', { 'x-codex-credits-has-credits': 'False'.toLowerCase(), 'x-codex-credits-unlimited': 'false' });
    b.observeHeaders('claude:a', 'claude', {
      'anthropic-ratelimit-unified-overage-status': 'rejected',
      'anthropic-ratelimit-unified-overage-disabled-reason': 'org_level_disabled',
    });
    const extra = b.snapshot().find((a) => a.accountId === 'claude:a')!.windows.find((w) => w.id === 'extra-usage')!;
    expect(extra).toMatchObject({ kind: 'credits', note: 'org_level_disabled' });
    expect(b.snapshot().find((a) => a.accountId === 'codex:a')!.windows[0]).toMatchObject({ kind: 'credits', usedPercent: 100 });
    expect(th).toEqual([]);
    b.close();
  });

  it('fires each threshold once per window period, then again after a reset', () => {
    const b = book();
    const th: QuotaThresholdEvent[] = [];
    const resets: QuotaResetEvent[] = [];
    b.on('threshold', (e) => th.push(e));
    b.on('reset', (e) => resets.push(e));

    b.observeHeaders('c', 'claude', claude5h(0.5));
    b.observeHeaders('c', 'claude', claude5h(0.81));
    b.observeHeaders('c', 'claude', claude5h(0.85));
    b.observeHeaders('c', 'claude', claude5h(0.9));
    expect(th.map((e) => [e.window.id, e.threshold, e.remainingPercent])).toEqual([['5h', 20, 19]]);
    b.observeHeaders('c', 'claude', claude5h(0.96));
    b.observeHeaders('c', 'claude', claude5h(0.99));
    expect(th.map((e) => e.threshold)).toEqual([20, 5]);

    // The window rolls over (new reset time, usage back down): thresholds re-arm.
    clock.advance(2 * 3_600_000 + 1000);
    b.observeHeaders('c', 'claude', claude5h(0.01, NOW + 7 * 3_600_000));
    expect(resets).toHaveLength(1);
    expect(resets[0]!.previous.usedPercent).toBe(99);
    b.observeHeaders('c', 'claude', claude5h(0.97, NOW + 7 * 3_600_000));
    // Jumping straight past both thresholds warns once, at the most severe one.
    expect(th.map((e) => e.threshold)).toEqual([20, 5, 5]);
    b.observeHeaders('c', 'claude', claude5h(0.98, NOW + 7 * 3_600_000));
    expect(th).toHaveLength(3);
    b.close();
  });

  it('zeroes a window whose reset time passed and emits reset', () => {
    const b = book();
    const resets: QuotaResetEvent[] = [];
    b.on('reset', (e) => resets.push(e));
    b.observeHeaders('c', 'claude', claude5h(0.7, NOW + 60_000));
    clock.advance(61_000);
    const w = b.get('c')!.windows[0]!;
    expect(w).toMatchObject({ id: '5h', usedPercent: 0, resetAt: null });
    expect(resets).toHaveLength(1);
    b.close();
  });

  it('ignores a reading older than the one it has', () => {
    const b = book();
    b.observeHeaders('c', 'claude', claude5h(0.5));
    b.update('c', 'claude', [{ id: '5h', label: '5-hour', kind: '5h', usedPercent: 10, resetAt: null, windowSeconds: 18_000, source: 'poll', observedAt: NOW - 1000 }]);
    expect(b.get('c')!.windows[0]!.usedPercent).toBe(50);
    b.close();
  });

  it('emits at most one snapshot per second per account, ending on the latest state', () => {
    const b = book();
    const snaps: AccountQuota[] = [];
    const at: number[] = [];
    b.on('snapshot', (s) => {
      snaps.push(s);
      at.push(clock.now());
    });
    for (let i = 1; i <= 50; i++) {
      b.observeHeaders('c', 'claude', claude5h(i / 100));
      clock.advance(50); // 50 readings over 2.5 s
    }
    clock.advance(2000);
    expect(snaps.length).toBeGreaterThanOrEqual(2);
    expect(snaps.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(snaps.at(-1)!.windows[0]!.usedPercent).toBe(50);
    b.close();
  });

  it('survives a restart with windows, plan and announced thresholds', () => {
    const a = book();
    const th: QuotaThresholdEvent[] = [];
    a.observeHeaders('c', 'claude', claude5h(0.9));
    a.note('c', 'claude', { plan: 'Max 5x' });
    a.close();

    const b = book();
    b.on('threshold', (e) => th.push(e));
    const q = b.get('c')!;
    expect(q.plan).toBe('Max 5x');
    expect(q.windows[0]).toMatchObject({ id: '5h', usedPercent: 90, source: 'traffic' });
    b.observeHeaders('c', 'claude', claude5h(0.91));
    expect(th).toHaveLength(0); // 20 % was already announced before the restart
    b.remove('c');
    b.close();
    const c = book();
    expect(c.snapshot()).toEqual([]);
    c.close();
  });

  it('reads 429 bodies through the provider parser', () => {
    const b = book();
    const limited = (provider: ProviderId, body: unknown) => readUpstreamFailure(providers[provider], { status: 429, body: JSON.stringify(body), now: clock.now() });
    b.observe429('g', 'gemini-cli', limited('gemini-cli', fx.google429Body));
    // The same answer's headers arrive first (observeHeaders), then its parsed 429.
    b.observeHeaders('x', 'codex', { 'x-codex-primary-used-percent': '100', 'x-codex-primary-window-minutes': '300' });
    b.observe429('x', 'codex', limited('codex', fx.codex429Body));
    expect(b.get('g')!.windows).toEqual([expect.objectContaining({ id: 'model:gemini-2.5-pro', usedPercent: 100 })]);
    expect(b.get('x')!.windows).toEqual([expect.objectContaining({ id: '5h', usedPercent: 100, resetAt: NOW + 3_000_000 })]);
    b.close();
  });

  it('merges header and poll readings of one Codex limit, keeping the readable name', () => {
    const b = book();
    b.update('x', 'codex', parseCodexUsage(fx.codexUsageBody, NOW).windows);
    clock.advance(1000);
    b.observeHeaders('x', 'codex', fx.codexHeaders);
    const spark = b.get('x')!.windows.filter((w) => w.model === 'bengalfox');
    expect(spark).toEqual([expect.objectContaining({ id: 'bengalfox:5h', label: 'GPT-5.3-Codex-Spark 5-hour', usedPercent: 100, source: 'traffic' })]);
    b.close();
  });

  it('does not let a throwing listener reach the caller', () => {
    const b = book({ dbPath: undefined });
    b.on('threshold', () => {
      throw new Error('listener bug');
    });
    expect(() => b.observeHeaders('c', 'claude', claude5h(0.99))).not.toThrow();
    b.close();
  });
});
