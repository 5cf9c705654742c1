import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQuotaFetch, QuotaPollError, type QuotaAccountInfo, type QuotaPollContext, type QuotaSource } from '../../../../src-main/engine/quota';
import { claudeQuota } from '../../../../src-main/engine/providers/claude/quota';
import { codexQuota } from '../../../../src-main/engine/providers/codex/quota';
import { geminiCliQuota } from '../../../../src-main/engine/providers/gemini-cli/quota';
import { antigravityQuota, ANTIGRAVITY_HOSTS } from '../../../../src-main/engine/providers/antigravity/quota';
import { kimiQuota } from '../../../../src-main/engine/providers/kimi/quota';
import { xaiQuota } from '../../../../src-main/engine/providers/xai/quota';
import type { Account } from '../../../../src-main/engine/providers/provider';
import { FakeQuotaServer } from '../../../fakes/quota/server';
import { oauthAccount } from '../../../fakes/quota/accounts';
import * as fx from '../../../fakes/quota/fixtures';

const { NOW } = fx;
let servers: FakeQuotaServer[] = [];
let fake: FakeQuotaServer;

beforeEach(async () => {
  fake = await FakeQuotaServer.start();
  servers = [fake];
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Run a poller with every real origin pointed at the given fakes (default: the one fake). */
async function poll(
  source: QuotaSource,
  account: Account,
  overrides: Record<string, string>,
  known: QuotaAccountInfo = {},
): Promise<{ windows: Awaited<ReturnType<NonNullable<QuotaSource['poll']>>>; notes: QuotaAccountInfo }> {
  const notes: QuotaAccountInfo = {};
  const ctx: QuotaPollContext = {
    account,
    credential: 'tok-123',
    fetch: createQuotaFetch({ hostOverrides: overrides, timeoutMs: 5000 }),
    now: NOW,
    known,
    note: (i) => Object.assign(notes, i),
  };
  return { windows: await source.poll!(ctx), notes };
}

async function expect429(p: Promise<unknown>, retryAfterMs?: number): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QuotaPollError);
  expect((err as QuotaPollError).status).toBe(429);
  expect((err as QuotaPollError).retryAfterMs).toBe(retryAfterMs);
}

describe('Claude poller', () => {
  const o = (): Record<string, string> => ({ 'https://api.anthropic.com': fake.origin });

  it('reads oauth/usage with the OAuth beta header, and the plan once', async () => {
    fake.route('GET /api/oauth/usage', { body: fx.claudeUsageBody }).route('GET /api/oauth/profile', { body: fx.claudeProfileBody });
    const { windows, notes } = await poll(claudeQuota, oauthAccount('claude', 'c1'), o());
    expect(windows.map((w) => w.id).sort()).toEqual(['5h', 'extra-usage', 'weekly', 'weekly-opus', 'weekly-sonnet']);
    expect(notes.plan).toBe('Max 20x');
    const req = fake.requests[0]!;
    expect(req.headers.authorization).toBe('Bearer tok-123');
    expect(req.headers['anthropic-beta']).toBe('oauth-2025-04-20');
    await poll(claudeQuota, oauthAccount('claude', 'c1'), o(), { plan: 'Max 20x' });
    expect(fake.hits('GET /api/oauth/profile')).toBe(1);
  });

  it('reports a 429 with its retry-after', async () => {
    fake.route('GET /api/oauth/usage', { status: 429, headers: { 'retry-after': '0' }, body: { type: 'error', error: { type: 'rate_limit_error' } } });
    await expect429(poll(claudeQuota, oauthAccount('claude', 'c1'), o()), 0);
    expect(fake.hits('GET /api/oauth/profile')).toBe(0);
  });
});

describe('Codex poller', () => {
  const o = (): Record<string, string> => ({ 'https://chatgpt.com': fake.origin });

  it('reads wham/usage with the ChatGPT account id', async () => {
    fake.route('GET /backend-api/wham/usage', { body: fx.codexUsageBody });
    const { windows, notes } = await poll(codexQuota, oauthAccount('codex', 'x1', { accountId: 'acc-9' }), o());
    expect(windows.find((w) => w.id === '5h')).toMatchObject({ usedPercent: 22 });
    expect(notes.plan).toBe('plus');
    expect(fake.requests[0]!.headers['chatgpt-account-id']).toBe('acc-9');
  });

  it('reports a 429', async () => {
    fake.route('GET /backend-api/wham/usage', { status: 429, headers: { 'retry-after': '120' }, body: fx.codex429Body });
    await expect429(poll(codexQuota, oauthAccount('codex', 'x1'), o()), 120_000);
  });
});

describe('Gemini CLI poller', () => {
  const o = (): Record<string, string> => ({ 'https://cloudcode-pa.googleapis.com': fake.origin });

  it('discovers the project through loadCodeAssist, then reads retrieveUserQuota', async () => {
    fake.route('POST /v1internal:loadCodeAssist', { body: fx.loadCodeAssistBody }).route('POST /v1internal:retrieveUserQuota', { body: fx.geminiQuotaBody });
    const { windows, notes } = await poll(geminiCliQuota, oauthAccount('gemini-cli', 'g1'), o());
    expect(notes).toEqual({ tier: 'Google AI Pro', projectId: 'proud-lamp-123' });
    expect(JSON.parse(fake.requests[1]!.body)).toEqual({ project: 'proud-lamp-123' });
    expect(windows.find((w) => w.id === 'model:gemini-2.5-pro')).toMatchObject({ usedPercent: 75 });
  });

  it('explains the consumer-tier shutdown', async () => {
    fake.route('POST /v1internal:loadCodeAssist', {
      status: 400,
      body: { error: { code: 400, status: 'FAILED_PRECONDITION', details: [{ reason: 'UNSUPPORTED_CLIENT' }] } },
    });
    const err = await poll(geminiCliQuota, oauthAccount('gemini-cli', 'g1'), o()).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, message: expect.stringMatching(/Antigravity/) });
  });

  it('skips loadCodeAssist when project and tier are known, and reports a 429', async () => {
    fake.route('POST /v1internal:retrieveUserQuota', { status: 429, body: fx.google429Body });
    await expect429(poll(geminiCliQuota, oauthAccount('gemini-cli', 'g1', { project_id: 'p1' }), o(), { tier: 'x' }));
    expect(fake.hits('POST /v1internal:loadCodeAssist')).toBe(0);
    expect(JSON.parse(fake.requests[0]!.body)).toEqual({ project: 'p1' });
  });
});

describe('Antigravity poller', () => {
  async function hosts(): Promise<[FakeQuotaServer, FakeQuotaServer, FakeQuotaServer, Record<string, string>]> {
    const daily = fake;
    const sandbox = await FakeQuotaServer.start();
    const prod = await FakeQuotaServer.start();
    servers.push(sandbox, prod);
    return [daily, sandbox, prod, { [ANTIGRAVITY_HOSTS[0]]: daily.origin, [ANTIGRAVITY_HOSTS[1]]: sandbox.origin, [ANTIGRAVITY_HOSTS[2]]: prod.origin }];
  }

  it('moves to the next host on 404 and reads the quota summary', async () => {
    const [daily, sandbox, , o] = await hosts();
    sandbox.route('POST /v1internal:retrieveUserQuotaSummary', { body: fx.antigravitySummaryBody });
    const { windows } = await poll(antigravityQuota, oauthAccount('antigravity', 'a1', { project_id: 'p' }), o, { tier: 't' });
    expect(daily.hits('POST /v1internal:retrieveUserQuotaSummary')).toBe(1);
    expect(windows.map((w) => w.id)).toEqual(['gemini-5h', 'gemini-weekly', '3p-5h', '3p-weekly']);
    expect(sandbox.requests[0]!.headers['user-agent']).toMatch(/^antigravity\//);
  });

  it('falls back to fetchAvailableModels when no host has the summary', async () => {
    const [, , prod, o] = await hosts();
    prod.route('POST /v1internal:loadCodeAssist', { body: fx.loadCodeAssistBody });
    prod.route('POST /v1internal:fetchAvailableModels', { body: fx.antigravityModelsBody });
    const { windows, notes } = await poll(antigravityQuota, oauthAccount('antigravity', 'a1'), o);
    expect(notes.projectId).toBe('proud-lamp-123');
    expect(windows.map((w) => w.id).sort()).toEqual(['model:claude-sonnet-4-5', 'model:gemini-3-pro-high']);
  });

  it('corrects reset times for a skewed local clock from the Date header', async () => {
    const [daily, , , o] = await hosts();
    // The server's clock reads one hour later than ours.
    daily.route('POST /v1internal:retrieveUserQuotaSummary', {
      body: fx.antigravitySummaryBody,
      headers: { date: new Date(NOW + 3_600_000).toUTCString() },
    });
    const { windows } = await poll(antigravityQuota, oauthAccount('antigravity', 'a1', { project_id: 'p' }), o, { tier: 't' });
    // gemini-5h resets at server time NOW+1h, i.e. right now on our clock.
    expect(windows[0]).toMatchObject({ id: 'gemini-5h', resetAt: NOW });
  });

  it('stops at 403 and reports a 429', async () => {
    const [daily, sandbox, , o] = await hosts();
    daily.route('POST /v1internal:retrieveUserQuotaSummary', { status: 403, body: { error: { code: 403 } } });
    const err = await poll(antigravityQuota, oauthAccount('antigravity', 'a1', { project_id: 'p' }), o, { tier: 't' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403 });
    expect(sandbox.requests).toHaveLength(0);
    daily.route('POST /v1internal:retrieveUserQuotaSummary', { status: 429, headers: { 'retry-after': '30' }, body: fx.google429Body });
    await expect429(poll(antigravityQuota, oauthAccount('antigravity', 'a1', { project_id: 'p' }), o, { tier: 't' }), 30_000);
  });
});

describe('Kimi poller', () => {
  const o = (): Record<string, string> => ({ 'https://api.kimi.com': fake.origin });

  it('reads coding/v1/usages', async () => {
    fake.route('GET /coding/v1/usages', { body: fx.kimiUsageBody });
    const { windows } = await poll(kimiQuota, oauthAccount('kimi', 'k1'), o());
    expect(windows.map((w) => [w.id, w.usedPercent])).toEqual([
      ['weekly', 25],
      ['5h', 75],
    ]);
  });

  it('reports a 429', async () => {
    fake.route('GET /coding/v1/usages', { status: 429, body: { error: 'too many' } });
    await expect429(poll(kimiQuota, oauthAccount('kimi', 'k1'), o()));
  });
});

describe('xAI poller', () => {
  const o = (): Record<string, string> => ({ 'https://cli-chat-proxy.grok.com': fake.origin });

  it('reads weekly credits and the monthly allowance with the Grok CLI headers', async () => {
    fake.route('GET /v1/billing?format=credits', { body: fx.xaiCreditsBody }).route('GET /v1/billing', { body: fx.xaiMonthlyBody });
    const { windows } = await poll(xaiQuota, oauthAccount('xai', 'g1'), o());
    expect(windows.map((w) => w.id)).toEqual(['weekly', 'product:grok-code', 'monthly']);
    expect(fake.requests[0]!.headers['x-xai-token-auth']).toBe('xai-grok-cli');
  });

  it('reports a 429', async () => {
    fake.route('GET /v1/billing?format=credits', { status: 429, body: {} });
    await expect429(poll(xaiQuota, oauthAccount('xai', 'g1'), o()));
  });
});
