import { describe, expect, it } from 'vitest';
import type { AccountQuota, SeriesPoint } from '../../../src-shared/domain';
import { en } from '../../../src-renderer/i18n/en';
import { zhCN } from '../../../src-renderer/i18n/zh-CN';
import { resolveLanguage } from '../../../src-renderer/i18n';
import { pivot, healthRows } from '../../../src-renderer/stores/usage';
import { mergeQuota } from '../../../src-renderer/stores/quota';
import { matches } from '../../../src-renderer/stores/logs';
import { pools, tightestWindows } from '../../../src-renderer/features/quota/pool';
import { snippets } from '../../../src-renderer/features/dashboard/snippets';
import { parseModels } from '../../../src-renderer/features/accounts/KeyEntries';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

const pt = (bucketStart: number, key: string, requests: number, extra: Partial<SeriesPoint> = {}): SeriesPoint => ({
  bucketStart,
  key,
  label: key,
  requests,
  errors: 0,
  inputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  cachedTokens: 0,
  totalTokens: requests * 10,
  avgLatencyMs: 100,
  ...extra,
});

const win = (id: string, used: number, resetAt: number | null, model?: string) => ({ id, label: id, kind: (model ? 'per-model' : '5h') as '5h', usedPercent: used, resetAt, windowSeconds: 18000, source: 'traffic' as const, observedAt: 1, model });
const acct = (accountId: string, provider: string, windows: AccountQuota['windows'], status: AccountQuota['status'] = 'active'): AccountQuota => ({ accountId, provider, label: accountId, status, plan: null, windows });

describe('renderer logic', () => {
  it('has every English string in Chinese and nothing extra', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    for (const k of keys(zhCN)) expect(k).not.toBe('');
  });

  it('follows the system language for system, Chinese variants → zh-CN', () => {
    expect(resolveLanguage('system', 'zh-TW')).toBe('zh-CN');
    expect(resolveLanguage('system', 'de-DE')).toBe('en');
    expect(resolveLanguage('en', 'zh-CN')).toBe('en');
  });

  it('pivots series into stacked rows with zero-filled keys and an (other) bucket', () => {
    const points = [pt(1, 'a', 5), pt(1, 'b', 1), pt(2, 'a', 2), pt(2, 'c', 1)];
    const { rows, keys: k } = pivot(points, 'requests', 2);
    expect(k).toEqual(['a', 'b', '(other)']);
    expect(rows).toEqual([
      { t: 1, a: 5, b: 1, '(other)': 0 },
      { t: 2, a: 2, b: 0, '(other)': 1 },
    ]);
  });

  it('computes error rate and request-weighted latency per bucket', () => {
    expect(healthRows([pt(1, 'a', 3, { errors: 1, avgLatencyMs: 100 }), pt(1, 'b', 1, { avgLatencyMs: 500 })])).toEqual([{ t: 1, errorRate: 25, latency: 200 }]);
  });

  it('pools capacity per family, skipping disabled accounts, with the earliest reset', () => {
    const list = [
      acct('a', 'claude', [win('5h', 80, 5000)]),
      acct('b', 'claude', [win('5h', 20, 3000)]),
      acct('c', 'claude', [win('5h', 0, 1000)], 'disabled'),
      acct('d', 'gemini-cli', [win('m', 50, null, 'gemini-2.5-pro')]),
    ];
    expect(pools(list)).toEqual([
      { key: 'claude · 5h:5h', provider: 'claude', label: '5h', window: list[0].windows[0], accounts: 2, left: 50, earliestResetAt: 3000 },
      { key: 'gemini-cli · gemini-2.5-pro', provider: 'gemini-cli', label: 'gemini-2.5-pro', window: list[3].windows[0], accounts: 1, left: 50, earliestResetAt: null },
    ]);
    expect(tightestWindows(list, 1)[0].account.accountId).toBe('a');
  });

  it('merges quota snapshots by account', () => {
    const merged = mergeQuota([acct('a', 'x', []), acct('b', 'x', [])], [acct('b', 'x', [win('5h', 9, null)]), acct('c', 'x', [])]);
    expect(merged.map((a) => [a.accountId, a.windows.length])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 0],
    ]);
  });

  it('filters log lines by text, provider and errors', () => {
    const e = { id: '1', time: 1, clientKeyLabel: 'key #1', inboundFormat: 'openai-chat', provider: 'claude', accountId: 'a', accountLabel: 'ada', requestedModel: 'sonnet', upstreamModel: 'claude-sonnet-4-5', inputTokens: 1, outputTokens: 1, reasoningTokens: 0, cachedTokens: 0, latencyMs: 1, ttftMs: null, status: 200, errorClass: null, stream: true };
    expect(matches(e, { text: 'SONNET-4', onlyErrors: false, provider: '' })).toBe(true);
    expect(matches(e, { text: '', onlyErrors: true, provider: '' })).toBe(false);
    expect(matches({ ...e, status: 429 }, { text: '', onlyErrors: true, provider: 'claude' })).toBe(true);
    expect(matches(e, { text: '', onlyErrors: false, provider: 'codex' })).toBe(false);
  });

  it('writes setup snippets with the right base URL per tool', () => {
    const s = Object.fromEntries(snippets('http://127.0.0.1:8317', 'sk-x').map((x) => [x.id, x.text]));
    expect(s['claude-code']).toContain('ANTHROPIC_BASE_URL=http://127.0.0.1:8317\n');
    expect(s.openai).toContain("baseURL: 'http://127.0.0.1:8317/v1'");
    expect(s.codex).toContain('base_url = "http://127.0.0.1:8317/v1"');
    expect(s.codex).toContain('wire_api = "responses"');
    expect(s['gemini-cli']).toContain('GEMINI_API_KEY=sk-x');
  });

  it('parses model lines for key entries', () => {
    expect(parseModels('a/b=b\n\n c ')).toEqual([{ name: 'a/b', alias: 'b' }, { name: 'c' }]);
  });
});
