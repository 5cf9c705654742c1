import { describe, expect, it } from 'vitest';
import { i18n } from '../../../src-renderer/i18n';
import { balanceText, isBalance, pools, tightestWindows, windowLabel } from '../../../src-renderer/features/quota/pool';
import { trouble } from '../../../src-renderer/features/dashboard/health';
import { httpFailure } from '../../../src-renderer/api/http-bridge';
import { bucketStarts, fillRows } from '../../../src-renderer/stores/usage';
import { keyName, providerName } from '../../../src-renderer/components/format';
import { describeFailure } from '../../../src-main/engine/facade/sign-in-flows';
import type { AccountQuota, LogEntry, QuotaWindowDto, Status } from '../../../src-shared/domain';

const t = i18n.getFixedT('en');
const zh = i18n.getFixedT('zh-CN');
const NOW = 1_764_000_000_000;
const w = (p: Partial<QuotaWindowDto> & Pick<QuotaWindowDto, 'id' | 'kind' | 'usedPercent'>): QuotaWindowDto => ({ label: p.id, resetAt: null, windowSeconds: 0, source: 'traffic', observedAt: NOW, ...p });

describe('balances are not windows', () => {
  // Codex `x-codex-credits-has-credits: false` on a Plus account: nothing bought, nothing wrong.
  const credits = w({ id: 'credits', label: 'Credits', kind: 'credits', usedPercent: 100 });
  // Claude `overage-status: rejected` + `overage-disabled-reason: org_level_disabled`.
  const extra = w({ id: 'extra-usage', label: 'Extra usage', kind: 'credits', usedPercent: 100, note: 'org_level_disabled' });
  const fiveH = w({ id: '5h', kind: '5h', usedPercent: 10, windowSeconds: 18_000 });
  const acct: AccountQuota = { accountId: 'codex:a', provider: 'codex', label: 'a', status: 'active', plan: 'plus', windows: [credits, fiveH] };

  it('says what a balance is instead of "100% used"', () => {
    expect(isBalance(credits)).toBe(true);
    expect(balanceText(t, credits)).toMatch(/none purchased/);
    expect(balanceText(t, extra)).toBe('off: turned off for the organisation');
    expect(balanceText(t, w({ id: 'credits', kind: 'credits', usedPercent: 0, balance: 12.5 }))).toBe('balance 12.5');
    expect(balanceText(zh, extra)).toBe('已关闭：组织已关闭此功能');
  });

  it('never lets a balance be the tightest window or pool capacity', () => {
    expect(tightestWindows([acct], 3).map((x) => x.window.id)).toEqual(['5h']);
    expect(pools([acct]).map((p) => p.window.id)).toEqual(['5h']);
  });

  it('names windows in the UI language, model windows included', () => {
    expect(windowLabel(zh, w({ id: 'weekly-opus', label: 'Weekly (opus)', kind: 'per-model', model: 'opus', usedPercent: 1, windowSeconds: 604_800 }))).toBe('每周（opus）');
    expect(windowLabel(zh, extra)).toBe('额外用量');
  });
});

describe('the dashboard banner', () => {
  const status = (a: Partial<Status['accounts']>): Status => ({
    state: 'running',
    baseUrl: 'http://127.0.0.1:8317',
    host: '127.0.0.1',
    port: 8317,
    startedAt: NOW,
    error: null,
    version: 't',
    mode: 'desktop',
    accounts: { total: 10, active: 1, cooling: 9, needsSignIn: 0, disabled: 0, ...a },
    today: { requests: 0, tokens: 0, errors: 0 },
  });
  const log = (p: Partial<LogEntry>): LogEntry => ({ id: String(Math.random()), time: NOW - 1000, clientKeyLabel: null, inboundFormat: 'openai-chat', provider: 'codex', accountId: 'x', accountLabel: 'x', requestedModel: 'm', upstreamModel: null, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cachedTokens: 0, latencyMs: 1, ttftMs: null, status: 200, errorClass: null, stream: false, ...p });

  it('warns when most accounts are blocked, not when one of ten cools', () => {
    expect(trouble(status({}), [], NOW)).toEqual({ kind: 'blocked', blocked: 9, usable: 10 });
    expect(trouble(status({ active: 9, cooling: 1 }), [], NOW)).toBeNull();
  });

  it('warns when the last requests could not reach the upstream, with its message', () => {
    const down = [log({ status: 502, upstreamMessage: 'connect ECONNREFUSED' }), log({ status: 0, errorClass: 'network' }), log({ status: 504 })];
    expect(trouble(status({ active: 10, cooling: 0 }), down, NOW)).toEqual({ kind: 'unreachable', failures: 3, message: 'connect ECONNREFUSED' });
    expect(trouble(status({ active: 10, cooling: 0 }), [log({}), ...down], NOW)).toBeNull();
  });
});

describe('server messages reach the user', () => {
  it('keeps the management layer’s own words instead of "HTTP 404"', () => {
    expect(httpFailure(404, { error: 'management API is disabled: set remote-management.secret-key' })).toEqual({ code: 'management-disabled', message: 'management API is disabled: set remote-management.secret-key' });
    expect(httpFailure(403, { error: 'remote management disabled' })).toEqual({ code: 'forbidden', message: 'remote management disabled' });
    expect(httpFailure(401, { error: 'invalid management key' }).code).toBe('unauthorized');
    expect(httpFailure(502, null)).toEqual({ code: 'http', message: 'HTTP 502' });
  });

  it('names host and cause of a failed sign-in instead of "fetch failed"', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1455'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1455 }) });
    expect(describeFailure(refused)).toBe('fetch failed (127.0.0.1:1455): ECONNREFUSED');
    const dns = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND auth.example.com'), { code: 'ENOTFOUND', hostname: 'auth.example.com' }) });
    expect(describeFailure(dns)).toBe('fetch failed (auth.example.com): ENOTFOUND');
    expect(describeFailure(new Error('plain'))).toBe('plain');
  });

  it('translates what the engine names in English', () => {
    expect(keyName(zh, 'key #1')).toBe('密钥 #1');
    expect(keyName(zh, 'ci-runner')).toBe('ci-runner');
    expect(providerName(zh, 'Claude (subscription)')).toBe('Claude（订阅）');
    expect(providerName(zh, 'Codex (ChatGPT subscription)')).toBe('Codex（ChatGPT 订阅）');
  });
});

describe('charts keep empty buckets', () => {
  it('has one row per hour across the range, zero where nothing happened', () => {
    const from = new Date(2026, 11, 4, 10, 30).getTime();
    const to = new Date(2026, 11, 4, 15, 10).getTime();
    const starts = bucketStarts(from, to, 'hour');
    expect(starts.map((s) => new Date(s).getHours())).toEqual([10, 11, 12, 13, 14, 15]);
    const burst = { t: starts[1], a: 5 };
    const rows = fillRows([burst], starts, (tt) => ({ t: tt, a: 0 }));
    expect(rows.map((r) => r.a)).toEqual([0, 5, 0, 0, 0, 0]);
  });

  it('steps days by the calendar, not by 24 h', () => {
    const starts = bucketStarts(new Date(2026, 2, 27, 9).getTime(), new Date(2026, 3, 1, 9).getTime(), 'day');
    expect(starts.map((s) => new Date(s).getDate())).toEqual([27, 28, 29, 30, 31, 1]);
  });
});
