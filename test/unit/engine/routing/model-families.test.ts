import { describe, expect, it } from 'vitest';
import { ModelCatalog, type CatalogOptions } from '../../../../src-main/engine/routing/model-catalog';
import type { Account } from '../../../../src-main/engine/providers/provider';
import { builtinIds, builtinInfo } from '../../../../src-main/engine/models/builtin-catalog';
import { account } from './helpers';

/**
 * Models that stay current without a release: the upstream's own list replaces the built-in
 * catalog, ids no list knows go to the accounts of their family (the upstream decides), explicit
 * `models` lists and exclusions still win, and every listed id says where it came from.
 */
const catalogOf = (a: Account) => builtinIds(a.provider);
function cat(accounts: Account[], discovered: Record<string, string[]> = {}, o: Partial<CatalogOptions> = {}): ModelCatalog {
  return new ModelCatalog(accounts, { defaultModels: catalogOf, discovered: (a) => discovered[a.id], info: (a, id) => builtinInfo(a.provider, id), ...o });
}
const ids = (c: ModelCatalog, id: string) => {
  const r = c.resolve(id);
  return r.ok ? r.candidates.map((x) => `${x.account.id}:${x.upstreamModel}`) : [];
};

describe('model catalog: built-in, discovered, family', () => {
  it('built-in catalogs carry today’s ids with limits and capabilities', () => {
    for (const id of ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-haiku-4-5']) expect(builtinIds('claude-api')).toContain(id);
    for (const id of ['gpt-5.5', 'gpt-5.5-codex']) expect(builtinIds('codex')).toContain(id);
    for (const id of ['gemini-3-pro-preview', 'gemini-3-flash-preview']) expect(builtinIds('gemini-api')).toContain(id);
    expect(builtinInfo('claude-api', 'claude-sonnet-4-6')).toMatchObject({ contextWindow: 200_000, capabilities: { tools: true, vision: true, reasoning: true } });
  });

  it('a key entry without models serves the catalog, each id marked `catalog`', () => {
    const c = cat([account({ id: 'k', provider: 'claude-api' })]);
    expect(ids(c, 'claude-sonnet-4-6')).toEqual(['k:claude-sonnet-4-6']);
    expect(c.listModels().find((m) => m.id === 'claude-sonnet-4-6')).toMatchObject({ source: 'catalog', info: { contextWindow: 200_000 } });
  });

  it('a discovered list replaces the catalog and marks its ids `discovered`', () => {
    const c = cat([account({ id: 'k', provider: 'claude-api' })], { k: ['claude-sonnet-4-6', 'claude-nova-1'] });
    expect(c.listModels().map((m) => [m.id, m.source])).toEqual([
      ['claude-sonnet-4-6', 'discovered'],
      ['claude-nova-1', 'discovered'],
    ]);
    expect(ids(c, 'claude-nova-1')).toEqual(['k:claude-nova-1']);
  });

  it('family routing: an id in no list goes to every account of its family, in config order', () => {
    const c = cat([
      account({ id: 'claude-key', provider: 'claude-api' }),
      account({ id: 'codex-key', provider: 'codex-api' }),
      account({ id: 'gem-key', provider: 'gemini-api' }),
      account({ id: 'grok', provider: 'xai', kind: 'oauth' }),
      account({ id: 'kimi', provider: 'kimi', kind: 'oauth' }),
      account({ id: 'qwen', provider: 'qwen', kind: 'oauth' }),
      account({ id: 'sub', provider: 'claude', kind: 'oauth' }),
    ]);
    expect(ids(c, 'claude-sonnet-9')).toEqual(['claude-key:claude-sonnet-9', 'sub:claude-sonnet-9']);
    expect(ids(c, 'gpt-7.1')).toEqual(['codex-key:gpt-7.1']);
    expect(ids(c, 'o5-mini')).toEqual(['codex-key:o5-mini']);
    expect(ids(c, 'codex-auto')).toEqual(['codex-key:codex-auto']);
    expect(ids(c, 'gemini-4-ultra')).toEqual(['gem-key:gemini-4-ultra']);
    expect(ids(c, 'grok-9')).toEqual(['grok:grok-9']);
    expect(ids(c, 'kimi-k9')).toEqual(['kimi:kimi-k9']);
    expect(ids(c, 'qwen4-coder')).toEqual(['qwen:qwen4-coder']);
    expect(ids(c, 'llama-5')).toEqual([]);
    // Family-routed ids are not listed: only lists say what exists.
    expect(c.listModels().some((m) => m.id === 'claude-sonnet-9')).toBe(false);
  });

  it('explicit models lists and exclusions win over family routing', () => {
    const c = cat(
      [
        account({ id: 'listed', provider: 'claude-api', models: [{ name: 'claude-sonnet-4-6' }] }),
        account({ id: 'excl', provider: 'claude-api', excludedModels: ['*-9'] }),
        account({ id: 'open', provider: 'claude-api' }),
      ],
      {},
      { oauthExcludedModels: {} },
    );
    expect(ids(c, 'claude-sonnet-9')).toEqual(['open:claude-sonnet-9']);
    expect(ids(c, 'claude-sonnet-10')).toEqual(['excl:claude-sonnet-10', 'open:claude-sonnet-10']);
  });

  it('an OpenAI-compatible entry keeps serving any id, and lists what its upstream lists', () => {
    const c = new ModelCatalog([account({ id: 'gw' })], { defaultModels: () => [], discovered: (a) => (a.id === 'gw' ? ['llama-4', 'mistral-x'] : undefined) });
    expect(c.listModels().map((m) => [m.id, m.source])).toEqual([
      ['llama-4', 'discovered'],
      ['mistral-x', 'discovered'],
    ]);
    expect(ids(c, 'anything-else')).toEqual(['gw:anything-else']);
  });

  it('family accounts come before catch-all gateways for an unknown id of their family', () => {
    const c = cat([account({ id: 'gw', provider: 'openai-compatibility' }), account({ id: 'k', provider: 'claude-api' })]);
    expect(ids(c, 'claude-sonnet-9')).toEqual(['k:claude-sonnet-9', 'gw:claude-sonnet-9']);
  });

  it('counts accounts (no accounts at all is its own message)', () => {
    expect(cat([]).accountCount).toBe(0);
  });
});
