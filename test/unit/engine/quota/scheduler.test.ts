import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQuotaFetch, QuotaBook, QuotaScheduler, quotaSources, type QuotaSchedulerOptions, type QuotaSource } from '../../../../src-main/engine/quota';
import { UsageRecorder } from '../../../../src-main/engine/usage';
import type { Account } from '../../../../src-main/engine/providers/provider';
import { FakeQuotaServer } from '../../../fakes/quota/server';
import { ManualClock } from '../../../fakes/quota/manual-clock';
import { oauthAccount } from '../../../fakes/quota/accounts';
import * as fx from '../../../fakes/quota/fixtures';

const MIN = 60_000;
let fake: FakeQuotaServer;
let clock: ManualClock;
let book: QuotaBook;

beforeEach(async () => {
  fake = await FakeQuotaServer.start();
  clock = new ManualClock(fx.NOW);
  book = new QuotaBook({ sources: quotaSources, now: clock.now, timers: clock });
  fake.route('GET /api/oauth/usage', { body: fx.claudeUsageBody }).route('GET /api/oauth/profile', { body: fx.claudeProfileBody });
});
afterEach(async () => {
  book.close();
  await fake.close();
});

function scheduler(accounts: Account[], over: Partial<QuotaSchedulerOptions> = {}): QuotaScheduler {
  return new QuotaScheduler({
    book,
    sources: quotaSources,
    accounts: () => accounts,
    credential: async () => 'tok',
    fetch: createQuotaFetch({ hostOverrides: { 'https://api.anthropic.com': fake.origin }, timeoutMs: 5000 }),
    pollMinutes: 1,
    budgetPerHour: 3,
    now: clock.now,
    timers: clock,
    random: () => 0.5,
    ...over,
  });
}

/** Tick once a minute for `minutes` minutes. */
async function run(s: QuotaScheduler, minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    await s.tick();
    clock.advance(MIN);
  }
}

describe('QuotaScheduler', () => {
  it('never spends more than the hourly budget per account', async () => {
    const s = scheduler([oauthAccount('claude', 'c1')]);
    await run(s, 30);
    // First poll: usage + profile (2 requests); second poll: usage only. Then the budget is spent.
    expect(fake.requests).toHaveLength(3);
    expect(s.status('c1')).toMatchObject({ budgetUsed: 3, budgetLimit: 3 });
    await run(s, 30);
    expect(fake.requests).toHaveLength(3);
    expect(book.get('c1')!.plan).toBe('Max 20x');
    // The rolling hour frees the budget again.
    await run(s, 60);
    expect(fake.requests.length).toBeGreaterThan(3);
    expect(fake.requests.length).toBeLessThanOrEqual(6);
  });

  it('polls only stale data: fresh header readings make a poll pointless', async () => {
    const s = scheduler([oauthAccount('claude', 'c1')], { pollMinutes: 10, quietMs: 0 });
    book.observeHeaders('c1', 'claude', fx.claudeHeaders);
    await run(s, 9);
    expect(fake.requests).toHaveLength(0);
    await run(s, 3);
    expect(fake.hits('GET /api/oauth/usage')).toBe(1);
  });

  it('does not poll while traffic flows', async () => {
    const s = scheduler([oauthAccount('claude', 'c1')], { quietMs: 5 * MIN, budgetPerHour: 100 });
    for (let i = 0; i < 20; i++) {
      book.noteTraffic('c1', 'claude');
      await s.tick();
      clock.advance(MIN);
    }
    expect(fake.requests).toHaveLength(0);
    await run(s, 6);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it('backs off after a 429, longer each time, even with retry-after: 0', async () => {
    fake.route('GET /api/oauth/usage', { status: 429, headers: { 'retry-after': '0' }, body: { type: 'error' } });
    const s = scheduler([oauthAccount('claude', 'c1')], { budgetPerHour: 100, backoff429Ms: 3 * MIN });
    await run(s, 3);
    expect(fake.hits('GET /api/oauth/usage')).toBe(1);
    expect(book.get('c1')!.pollError).toMatch(/429/);
    // 3 min × 1.05 jitter → due again at minute 4.
    await run(s, 2);
    expect(fake.hits('GET /api/oauth/usage')).toBe(2);
    // Second backoff doubles: nothing for the next 6 minutes.
    await run(s, 6);
    expect(fake.hits('GET /api/oauth/usage')).toBe(2);
    await run(s, 2);
    expect(fake.hits('GET /api/oauth/usage')).toBe(3);
    expect(s.status('c1').backoffUntil).toBeGreaterThan(clock.now());
  });

  it('manual refresh ignores staleness but not the budget', async () => {
    const s = scheduler([oauthAccount('claude', 'c1')], { budgetPerHour: 2 });
    expect(await s.pollNow('c1')).toMatchObject({ ok: true });
    expect(await s.pollNow('c1')).toEqual({ ok: false, reason: 'budget', message: expect.any(String) });
    expect(fake.requests).toHaveLength(2);
    expect(await s.pollNow('nope')).toMatchObject({ ok: false, reason: 'no-source' });
  });

  it('cuts a poll short when it would go over budget', async () => {
    const s = scheduler([oauthAccount('claude', 'c1')], { budgetPerHour: 1 });
    // usage (1 request) fits; the profile read is refused before it is sent.
    expect(await s.pollNow('c1')).toMatchObject({ ok: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses a model endpoint even if a poller asks for one', async () => {
    const rogue: QuotaSource = {
      provider: 'claude',
      poll: async (ctx) => {
        await ctx.fetch('https://api.anthropic.com/v1/messages', { method: 'POST', headers: {}, body: '{}' });
        return [];
      },
    };
    const s = scheduler([oauthAccount('claude', 'c1')], { sources: { claude: rogue } });
    expect(await s.pollNow('c1')).toMatchObject({ ok: false, reason: 'error', message: expect.stringMatching(/model endpoint/) });
    expect(fake.requests).toHaveLength(0);
  });

  it('skips disabled accounts and providers without a source', async () => {
    const off = { ...oauthAccount('claude', 'c1'), disabled: true };
    const s = scheduler([off, oauthAccount('openai-compatibility', 'k')]);
    await run(s, 5);
    expect(fake.requests).toHaveLength(0);
  });

  it('keeps local meters for Qwen and iFlow from the usage store, without HTTP', async () => {
    const usage = new UsageRecorder({ dbPath: ':memory:' });
    const base = { inboundFormat: 'openai-chat', requestedModel: 'qwen3-coder-plus', inputTokens: 10, outputTokens: 5, reasoningTokens: 0, cachedTokens: 0, latencyMs: 1, status: 200, stream: false };
    for (let i = 0; i < 500; i++) usage.record({ ...base, time: clock.now() - i * 1000, accountId: 'q1', provider: 'qwen' });
    usage.record({ ...base, time: clock.now(), accountId: 'i1', provider: 'iflow' });
    const s = scheduler([oauthAccount('qwen', 'q1'), oauthAccount('iflow', 'i1')], { localCounter: usage });
    await s.tick();
    expect(book.get('q1')!.windows).toEqual([
      expect.objectContaining({ id: 'local', source: 'local', kind: 'daily', usedPercent: 25, count: { requests: 500, tokens: 7500, limit: 2000 } }),
    ]);
    expect(book.get('i1')!.windows[0]).toMatchObject({ usedPercent: 0, count: { requests: 1, tokens: 15 } });
    expect(fake.requests).toHaveLength(0);
    usage.close();
  });

  it('runs on its own timer once started, and stops', async () => {
    const s = scheduler([oauthAccount('claude', 'c1')]);
    s.start();
    clock.advance(4_000);
    expect(fake.requests).toHaveLength(0); // first pass waits 5–15 s after start
    clock.advance(11_000);
    await s.stop();
    expect(fake.hits('GET /api/oauth/usage')).toBe(1);
    clock.advance(60 * MIN);
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.hits('GET /api/oauth/usage')).toBe(1);
  });
});
