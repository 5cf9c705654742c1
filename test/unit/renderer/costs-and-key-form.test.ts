import { describe, expect, it } from 'vitest';
import type { CostBasisRow, KeyEntryDetail, ProviderInfo } from '../../../src-shared/domain';
import { byAccount, byModel } from '../../../src-renderer/features/usage/cost-rows';
import { formValues, parseHeaders, toPatch } from '../../../src-renderer/features/accounts/key-form';

const row = (accountId: string, provider: string, model: string, input: number, output: number, reasoning = 0): CostBasisRow => ({ accountId, accountLabel: `${accountId}-label`, provider, model, requests: 1, inputTokens: input, outputTokens: output, reasoningTokens: reasoning });
const providers = [{ id: 'claude', kind: 'oauth' }, { id: 'claude-api', kind: 'api-key' }] as ProviderInfo[];

describe('per-account cost estimates', () => {
  const rows = [row('claude:a', 'claude', 'sonnet', 1_000_000, 100_000, 100_000), row('claude:a', 'claude', 'opus', 10, 10), row('claude-api:k', 'claude-api', 'sonnet', 2_000_000, 0), row('', 'claude', 'sonnet', 5, 5), row('codex:c', 'codex', 'gpt-5', 0, 0)];
  const prices = { sonnet: { input: 3, output: 15 } };

  it('sums each account over the models it served, at the per-model prices (reasoning billed as output)', () => {
    const out = byAccount(rows, prices, providers);
    expect(out.map((a) => [a.accountId, a.kind, a.cost, a.unpriced, a.priced])).toEqual([
      ['claude-api:k', 'api-key', 6, [], 1],
      ['claude:a', 'subscription', 3 + 3, ['opus'], 1],
    ]);
  });

  it('leaves out records without an account or without tokens; an unknown provider counts as a subscription', () => {
    const out = byAccount([row('x:1', 'mystery', 'm', 1, 1)], {}, providers);
    expect(out).toMatchObject([{ accountId: 'x:1', kind: 'subscription', priced: 0, unpriced: ['m'] }]);
  });

  it('per model: tokens of every account together', () => {
    expect(byModel(rows)[0]).toEqual({ model: 'sonnet', input: 3_000_005, output: 200_005 });
  });
});

describe('key entry form', () => {
  const entry: KeyEntryDetail = { id: 'e', section: 'openai-compatibility', name: 'router', label: null, maskedKey: 'sk-…1234', baseUrl: 'https://x.test/v1', prefix: null, models: [{ name: 'a/b', alias: 'b' }, { name: 'c', alias: null }], disabled: false, headers: { 'x-token': 'tok-…9999', 'x-title': 'me' }, proxyUrl: null, excludedModels: ['*-preview'], keyCount: 1 };

  it('sends the form back as read: masked values unchanged, empty fields as null', () => {
    const { patch, badHeader } = toPatch(formValues(entry), true);
    expect(badHeader).toBeNull();
    expect(patch).toEqual({ apiKey: 'sk-…1234', name: 'router', baseUrl: 'https://x.test/v1', label: null, prefix: null, proxyUrl: null, headers: { 'x-token': 'tok-…9999', 'x-title': 'me' }, models: [{ name: 'a/b', alias: 'b' }, { name: 'c' }], excludedModels: ['*-preview'] });
  });

  it('reads headers as Name: value lines and names a line that is not one', () => {
    expect({ ...parseHeaders('A: 1\n\n b : x:y ').headers }).toEqual({ A: '1', b: 'x:y' });
    expect(parseHeaders('A: 1\nnot a header').bad).toBe('not a header');
  });
});
