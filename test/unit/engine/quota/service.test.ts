import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuotaService, type QuotaThresholdEvent } from '../../../../src-main/engine/quota';
import { FakeQuotaServer } from '../../../fakes/quota/server';
import { ManualClock } from '../../../fakes/quota/manual-clock';
import { oauthAccount } from '../../../fakes/quota/accounts';
import * as fx from '../../../fakes/quota/fixtures';
import { providers } from '../../../../src-main/engine/providers';
import { readUpstreamFailure } from '../../../../src-main/engine/providers/read-failure';

let fake: FakeQuotaServer;
let dir: string;
beforeEach(async () => {
  fake = await FakeQuotaServer.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-svc-'));
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('QuotaService', () => {
  it('feeds the book from pipeline traffic and polls through host-overrides', async () => {
    const clock = new ManualClock(fx.NOW);
    const claude = oauthAccount('claude', 'c1');
    const keyed = { ...oauthAccount('claude-api', 'k1'), kind: 'api-key' as const };
    const codex = oauthAccount('codex', 'x1', { accountId: 'acc' });
    fake.route('GET /backend-api/wham/usage', { body: fx.codexUsageBody });
    const svc = new QuotaService({
      dbPath: path.join(dir, 'usage.db'),
      config: { quota: { 'poll-minutes': 10, 'poll-budget-per-hour': 4 }, 'host-overrides': { 'https://chatgpt.com': fake.origin } },
      accounts: () => [claude, keyed, codex],
      credential: async () => 'tok',
      now: clock.now,
      timers: clock,
      random: () => 0.5,
    });
    const warnings: QuotaThresholdEvent[] = [];
    svc.book.on('threshold', (e) => warnings.push(e));

    svc.observer.onUpstreamHeaders!(claude, 200, fx.claudeHeaders);
    svc.observer.onUpstreamHeaders!(keyed, 200, { 'anthropic-ratelimit-requests-limit': '50' });
    svc.observer.onUpstreamError!(codex, readUpstreamFailure(providers.codex, { status: 429, body: JSON.stringify(fx.codex429Body), now: clock.now() }));
    expect(svc.book.snapshot().map((a) => a.accountId)).toEqual(['c1', 'x1']);
    // Claude's weekly meter at 81.5 % used crossed the 20 %-left warning; the 7d_oi one is full.
    // Extra usage is a balance, not a window: it never warns (issue 17, "Trust").
    expect(warnings.map((w) => [w.accountId, w.window.id, w.level])).toEqual([
      ['c1', 'weekly', 'warn'],
      ['c1', 'weekly-oi', 'critical'],
      ['x1', '5h', 'critical'],
    ]);

    // The codex account had "traffic" (its 429) just now: a manual refresh still works.
    expect(await svc.scheduler.pollNow('x1')).toMatchObject({ ok: true });
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer tok');
    expect(svc.book.get('x1')!.plan).toBe('plus');

    svc.reconfigure({ quota: { 'poll-minutes': 10, 'poll-budget-per-hour': 0 }, 'host-overrides': {} });
    expect(await svc.scheduler.pollNow('x1')).toMatchObject({ ok: false, reason: 'budget' });
    await svc.close();

    // Snapshots survive: a new service on the same file starts with the same meters.
    const again = new QuotaService({
      dbPath: path.join(dir, 'usage.db'),
      config: { quota: { 'poll-minutes': 10, 'poll-budget-per-hour': 4 }, 'host-overrides': {} },
      accounts: () => [],
      credential: async () => 'tok',
      now: clock.now,
      timers: clock,
    });
    expect(again.book.get('x1')!.windows.find((w) => w.id === '5h')).toMatchObject({ usedPercent: 22, source: 'poll' });
    expect(again.book.get('c1')!.windows.find((w) => w.id === 'weekly')).toMatchObject({ usedPercent: 81.5 });
    await again.close();
  });

  it('lets the thresholds change at run time', () => {
    const svc = new QuotaService({
      config: { quota: { 'poll-minutes': 10, 'poll-budget-per-hour': 4 }, 'host-overrides': {} },
      accounts: () => [],
      credential: async () => 'tok',
    });
    svc.book.setThresholds([50, 10, 50]);
    expect(svc.book.getThresholds()).toEqual([50, 10]);
    const seen: string[] = [];
    svc.book.on('threshold', (e) => seen.push(`${e.threshold}:${e.level}`));
    svc.book.observeHeaders('c', 'claude', { 'anthropic-ratelimit-unified-5h-utilization': '0.6' });
    svc.book.observeHeaders('c', 'claude', { 'anthropic-ratelimit-unified-5h-utilization': '0.95' });
    expect(seen).toEqual(['50:warn', '10:critical']);
    void svc.close();
  });
});
