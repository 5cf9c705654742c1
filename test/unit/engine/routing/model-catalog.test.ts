import { describe, expect, it } from 'vitest';
import { ModelCatalog, type CatalogOptions } from '../../../../src-main/engine/routing/model-catalog';
import type { Account } from '../../../../src-main/engine/providers/provider';
import { account } from './helpers';

const defaults: Record<string, string[]> = {
  'gemini-api': ['gemini-2.5-pro', 'gemini-2.5-flash'],
  claude: ['claude-sonnet-4-5', 'claude-opus-4-1'],
  codex: ['gpt-5', 'gpt-5-codex'],
};
const opts = (o: Partial<CatalogOptions> = {}): CatalogOptions => ({ defaultModels: (a: Account) => defaults[a.provider] ?? [], ...o });

function resolved(cat: ModelCatalog, id: string) {
  const r = cat.resolve(id);
  if (!r.ok) throw new Error(`expected ${id} to resolve`);
  return r;
}

describe('ModelCatalog', () => {
  it('serves provider default models when an account lists none', () => {
    const cat = new ModelCatalog([account({ id: 'g1', provider: 'gemini-api' })], opts());
    const r = resolved(cat, 'gemini-2.5-pro');
    expect(r.candidates.map((c) => [c.account.id, c.upstreamModel, c.clientModel])).toEqual([['g1', 'gemini-2.5-pro', 'gemini-2.5-pro']]);
  });

  it('returns a typed not-found result for unknown models', () => {
    const cat = new ModelCatalog([account({ id: 'g1', provider: 'gemini-api' })], opts());
    expect(cat.resolve('gpt-9')).toEqual({ ok: false, error: 'model_not_found', requested: 'gpt-9', model: 'gpt-9' });
  });

  it('routes prefix/model only to the prefixed account and strips the prefix for upstream', () => {
    const cat = new ModelCatalog(
      [account({ id: 'a', provider: 'gemini-api', prefix: 'teamA' }), account({ id: 'b', provider: 'gemini-api' })],
      opts(),
    );
    const r = resolved(cat, 'teamA/gemini-2.5-flash');
    expect(r.candidates.map((c) => [c.account.id, c.upstreamModel, c.clientModel])).toEqual([['a', 'gemini-2.5-flash', 'teamA/gemini-2.5-flash']]);
    // Without force-model-prefix the prefixed account also answers the bare id.
    expect(resolved(cat, 'gemini-2.5-flash').candidates.map((c) => c.account.id)).toEqual(['a', 'b']);
  });

  it('force-model-prefix keeps prefixed accounts out of the bare ids', () => {
    const cat = new ModelCatalog(
      [account({ id: 'a', provider: 'gemini-api', prefix: 'teamA' }), account({ id: 'b', provider: 'gemini-api' })],
      opts({ forceModelPrefix: true }),
    );
    expect(resolved(cat, 'gemini-2.5-flash').candidates.map((c) => c.account.id)).toEqual(['b']);
    expect(resolved(cat, 'teamA/gemini-2.5-flash').candidates.map((c) => c.account.id)).toEqual(['a']);
  });

  it('an alias repeated over several upstream models forms a pool across accounts', () => {
    const cat = new ModelCatalog(
      [
        account({ id: 'or1', models: [{ name: 'z-ai/glm-4.6', alias: 'smart' }, { name: 'moonshot/kimi-k2', alias: 'smart' }] }),
        account({ id: 'or2', models: [{ name: 'deepseek/v3', alias: 'smart' }, { name: 'gpt-4o-mini' }] }),
      ],
      opts(),
    );
    const r = resolved(cat, 'smart');
    expect(r.candidates.map((c) => `${c.account.id}:${c.upstreamModel}`)).toEqual(['or1:z-ai/glm-4.6', 'or1:moonshot/kimi-k2', 'or2:deepseek/v3']);
    // The upstream names behind an alias are not client ids themselves (no fork on key entries).
    expect(cat.resolve('z-ai/glm-4.6').ok).toBe(false);
    expect(resolved(cat, 'gpt-4o-mini').candidates[0].account.id).toBe('or2');
  });

  it('oauth-model-alias renames OAuth models; fork keeps the original id too', () => {
    const accts = [account({ id: 'c1', provider: 'claude', kind: 'oauth' }), account({ id: 'x1', provider: 'codex', kind: 'oauth' })];
    const cat = new ModelCatalog(
      accts,
      opts({
        oauthModelAlias: {
          claude: [{ name: 'claude-sonnet-4-5', alias: 'sonnet' }],
          codex: [{ name: 'gpt-5', alias: 'g5', fork: true }],
        },
      }),
    );
    expect(resolved(cat, 'sonnet').candidates[0].upstreamModel).toBe('claude-sonnet-4-5');
    expect(cat.resolve('claude-sonnet-4-5').ok).toBe(false);
    expect(resolved(cat, 'g5').candidates[0].upstreamModel).toBe('gpt-5');
    expect(resolved(cat, 'gpt-5').candidates[0].upstreamModel).toBe('gpt-5');
  });

  it('excluded-models wildcards (exact, x*, *x, *x*) are case-insensitive', () => {
    const models = ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash', 'text-embedding-004', 'imagen-3'];
    const cat = new ModelCatalog(
      [account({ id: 'g', provider: 'gemini-api', excludedModels: ['IMAGEN-3', '*-LITE', 'gemini-2.0*', '*embedding*'] })],
      { defaultModels: () => models },
    );
    expect(cat.ids()).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash']);
  });

  it('oauth-excluded-models applies to that channel only', () => {
    const cat = new ModelCatalog(
      [account({ id: 'c1', provider: 'claude', kind: 'oauth' }), account({ id: 'k', provider: 'claude-api', models: [{ name: 'claude-opus-4-1' }] })],
      opts({ oauthExcludedModels: { claude: ['*opus*'] } }),
    );
    expect(resolved(cat, 'claude-opus-4-1').candidates.map((c) => c.account.id)).toEqual(['k']);
    expect(resolved(cat, 'claude-sonnet-4-5').candidates.map((c) => c.account.id)).toEqual(['c1']);
  });

  it('splits the thinking suffix and returns the parsed reasoning', () => {
    const cat = new ModelCatalog([account({ id: 'x', provider: 'codex', kind: 'oauth' })], opts());
    const high = resolved(cat, 'gpt-5(high)');
    expect(high.model).toBe('gpt-5');
    expect(high.reasoning).toEqual({ effort: 'high', budget: 24576 });
    expect(high.candidates[0]).toMatchObject({ upstreamModel: 'gpt-5', clientModel: 'gpt-5(high)' });
    expect(resolved(cat, 'gpt-5(8192)').reasoning).toEqual({ effort: 'medium', budget: 8192 });
    expect(resolved(cat, 'gpt-5(auto)').reasoning).toEqual({ budget: -1, auto: true });
    expect(resolved(cat, 'gpt-5').reasoning).toBeUndefined();
    expect(cat.resolve('gpt-5(bogus)').ok).toBe(false);
  });

  it('aliases may configure reasoning (wizard `reasoning` level or a suffix on the name); the client suffix wins', () => {
    const cat = new ModelCatalog(
      [
        account({ id: 'k1', provider: 'claude-api', models: [{ name: 'claude-sonnet-4-5', alias: 'deep', reasoning: 'high' } as never] }),
        account({ id: 'k2', provider: 'claude-api', models: [{ name: 'claude-sonnet-4-5(8192)', alias: 'mid' }] }),
      ],
      opts(),
    );
    const deep = resolved(cat, 'deep');
    expect(deep.reasoning).toEqual({ effort: 'high', budget: 24576 });
    expect(deep.candidates[0]).toMatchObject({ upstreamModel: 'claude-sonnet-4-5', reasoning: { effort: 'high' } });
    const mid = resolved(cat, 'mid');
    expect(mid.candidates[0]).toMatchObject({ upstreamModel: 'claude-sonnet-4-5', reasoning: { budget: 8192 } });
    const override = resolved(cat, 'deep(low)');
    expect(override.reasoning).toEqual({ effort: 'low', budget: 1024 });
    expect(override.candidates[0].reasoning).toEqual({ effort: 'low', budget: 1024 });
  });

  it('a pool with different configured reasoning keeps it per candidate only', () => {
    const cat = new ModelCatalog(
      [account({ id: 'k', models: [{ name: 'a(high)', alias: 'p' }, { name: 'b', alias: 'p' }] })],
      opts(),
    );
    const r = resolved(cat, 'p');
    expect(r.reasoning).toBeUndefined();
    expect(r.candidates.map((c) => [c.upstreamModel, c.reasoning?.effort])).toEqual([['a', 'high'], ['b', undefined]]);
  });

  it('an OAuth alias with a prefix applies only to accounts with that prefix', () => {
    const cat = new ModelCatalog(
      [account({ id: 'work', provider: 'codex', kind: 'oauth', prefix: 'work' }), account({ id: 'home', provider: 'codex', kind: 'oauth' })],
      opts({ oauthModelAlias: { codex: [{ name: 'gpt-5', alias: 'g', prefix: 'work', reasoning: 'minimal' } as never] } }),
    );
    expect(resolved(cat, 'work/g').candidates.map((c) => [c.account.id, c.upstreamModel, c.reasoning?.effort])).toEqual([['work', 'gpt-5', 'minimal']]);
    expect(resolved(cat, 'g').candidates.map((c) => c.account.id)).toEqual(['work']);
    expect(resolved(cat, 'gpt-5').candidates.map((c) => c.account.id)).toEqual(['home']);
  });

  it('a model id that itself contains parentheses is not mistaken for a suffix', () => {
    const cat = new ModelCatalog([account({ id: 'o', models: [{ name: 'weird(v2)' }] })], opts());
    const r = resolved(cat, 'weird(v2)');
    expect(r.reasoning).toBeUndefined();
    expect(r.candidates[0].upstreamModel).toBe('weird(v2)');
  });

  it('accounts without any model list accept any id (and prefixed ids for their prefix)', () => {
    const cat = new ModelCatalog([account({ id: 'open', prefix: 'lab', excludedModels: ['bad*'] })], opts());
    expect(resolved(cat, 'lab/anything-1').candidates[0].upstreamModel).toBe('anything-1');
    expect(resolved(cat, 'anything-2').candidates[0].upstreamModel).toBe('anything-2');
    expect(cat.resolve('bad-model').ok).toBe(false);
    expect(cat.listModels()).toEqual([]);
  });

  it('matches ids case-insensitively when no exact id exists', () => {
    const cat = new ModelCatalog([account({ id: 'g', provider: 'gemini-api' })], opts());
    expect(resolved(cat, 'Gemini-2.5-Pro').candidates[0].upstreamModel).toBe('gemini-2.5-pro');
  });

  it('listModels shows only ids some usable account serves', () => {
    const cat = new ModelCatalog(
      [
        account({ id: 'g1', provider: 'gemini-api', prefix: 'p' }),
        account({ id: 'g2', provider: 'gemini-api', disabled: true, models: [{ name: 'gemini-exp' }] }),
        account({ id: 'k', provider: 'claude-api', models: [{ name: 'claude-sonnet-4-5', alias: 'sonnet' }] }),
      ],
      opts(),
    );
    expect(cat.listModels().map((m) => m.id)).toEqual(['p/gemini-2.5-pro', 'gemini-2.5-pro', 'p/gemini-2.5-flash', 'gemini-2.5-flash', 'sonnet']);
    const usable = cat.listModels((a) => a.id !== 'g1').map((m) => m.id);
    expect(usable).toEqual(['sonnet']);
    expect(cat.listModels().find((m) => m.id === 'sonnet')).toEqual({ id: 'sonnet', provider: 'claude-api', providers: ['claude-api'], source: 'config' });
  });

  it('resolving the same id again hands out the same read-only candidate list (no per-request rebuild)', () => {
    const accounts = Array.from({ length: 50 }, (_, i) => account({ id: `k${i}`, provider: 'claude', order: i }));
    const cat = new ModelCatalog(accounts, opts());
    const first = cat.resolve('claude-sonnet-4-5');
    const again = cat.resolve('claude-sonnet-4-5');
    expect(first.ok && again.ok && again.candidates === first.candidates).toBe(true);
    expect(first.ok && first.candidates.map((c) => c.account.id)).toEqual(accounts.map((a) => a.id));
    expect(cat.resolve('no-such-model').ok).toBe(false);
  });
});
