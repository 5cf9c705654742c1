import { parseThinkingSuffix } from '../ir/reasoning';
import type { ModelSource } from '../models/types';
import type { Account, ModelMapping } from '../providers/provider';
import type { CatalogOptions } from './model-catalog';
import type { SuffixReasoning } from './types';
import { matchesAny } from './wildcard';

// What each account serves (aliases, exclusions, discovered lists), for the catalog to index.

/**
 * An alias as config holds it. Beyond CLIProxyAPI's `{name, alias, fork}`, Switchyard's mapping
 * wizard writes `reasoning` (a level: the alias asks for that much thinking) and, on OAuth aliases,
 * `prefix` (the alias applies only to accounts with that prefix). A thinking suffix on `name`
 * (`claude-sonnet-4-5(high)`) means the same as `reasoning`.
 */
export type AliasRule = ModelMapping & { reasoning?: unknown; prefix?: unknown };

export interface Served {
  clientId: string;
  upstream: string;
  reasoning?: SuffixReasoning;
  source: ModelSource;
}

export interface ServedSet {
  served: Served[];
  /** Serves any id asked for (an OpenAI-compatible entry without `models`). */
  open: boolean;
  /** Listed no models in config: family routing may send it ids no list knows. */
  family: boolean;
  /** Upstream ids (lower-cased) an alias renamed without `fork`: hidden, so family routing skips them too. */
  renamed: Set<string>;
}

/** Upstream name and configured reasoning of one alias target. */
export function target(name: string, level: unknown): { upstream: string; reasoning?: SuffixReasoning } {
  const suffix = parseThinkingSuffix(name.trim());
  let reasoning = suffix.model !== name.trim() ? reasoningOf(suffix) : undefined;
  if (typeof level === 'string' && level.trim()) {
    const fromLevel = parseThinkingSuffix(`m(${level.trim()})`);
    if (fromLevel.model === 'm') reasoning = reasoningOf(fromLevel) ?? reasoning;
  }
  return reasoning ? { upstream: suffix.model, reasoning } : { upstream: suffix.model };
}

export function sameReasoning(a: SuffixReasoning | undefined, b: SuffixReasoning | undefined): boolean {
  return a?.effort === b?.effort && a?.budget === b?.budget && a?.auto === b?.auto;
}

/**
 * `oauth-*` maps are keyed by channel, which for signed-in accounts is our provider id
 * (`claude`, `codex`, `gemini-cli`, `antigravity`, …). Key entries carry their own lists instead.
 */
export function channelEntries<T>(map: Record<string, readonly T[]> | undefined, account: Account): T[] {
  if (!map || account.kind !== 'oauth') return [];
  const hit = Object.entries(map).find(([k]) => k.toLowerCase() === account.provider);
  return hit ? [...hit[1]] : [];
}

/** The models one account serves, after aliases and exclusions, before prefixes. */
export function servedBy(account: Account, opts: CatalogOptions): ServedSet {
  let served: Served[];
  let open = false;
  const explicit = !!account.models?.length;
  if (explicit) {
    served = [];
    for (const m of account.models as AliasRule[]) {
      const t = target(m.name, m.reasoning);
      const alias = m.alias?.trim();
      if (alias && alias !== m.name) {
        served.push({ clientId: alias, ...t, source: 'config' });
        if (m.fork) served.push({ clientId: t.upstream, upstream: t.upstream, source: 'config' });
      } else served.push({ clientId: t.upstream, ...t, source: 'config' });
    }
  } else {
    const defaults = opts.defaultModels(account);
    // No built-in list (an OpenAI-compatible endpoint without `models`): serve any id asked for,
    // and list what its upstream says it has.
    open = defaults.length === 0;
    const discovered = opts.discovered?.(account);
    served = discovered?.length
      ? discovered.map((n) => ({ clientId: n, upstream: n, source: 'discovered' as const }))
      : defaults.map((n) => ({ clientId: n, upstream: n, source: 'catalog' as const }));
  }

  const aliases = channelEntries(opts.oauthModelAlias, account).filter(
    (a) => typeof a.prefix !== 'string' || !a.prefix || a.prefix === account.prefix,
  );
  const renamed = new Set<string>();
  if (aliases.length) {
    const next: Served[] = [];
    for (const s of served) {
      const hits = aliases.filter((a) => target(a.name, undefined).upstream.toLowerCase() === s.upstream.toLowerCase() && a.alias?.trim());
      if (!hits.length) {
        next.push(s);
        continue;
      }
      for (const a of hits) {
        const t = target(a.name, a.reasoning);
        const aliased: Served = { clientId: a.alias!.trim(), upstream: s.upstream, source: 'config' };
        if (t.reasoning) aliased.reasoning = t.reasoning;
        next.push(aliased);
      }
      if (hits.some((a) => a.fork)) next.push(s);
      else renamed.add(s.upstream.toLowerCase());
    }
    served = next;
  }

  const excluded = [...(account.excludedModels ?? []), ...channelEntries(opts.oauthExcludedModels, account)];
  if (excluded.length) served = served.filter((s) => !matchesAny(excluded, s.upstream) && !matchesAny(excluded, s.clientId));
  return { served, open, family: !explicit, renamed };
}

export function reasoningOf(s: ReturnType<typeof parseThinkingSuffix>): SuffixReasoning | undefined {
  if (s.effort === undefined && s.budget === undefined && !s.auto) return undefined;
  const r: SuffixReasoning = {};
  if (s.effort !== undefined) r.effort = s.effort;
  if (s.budget !== undefined) r.budget = s.budget;
  if (s.auto) r.auto = true;
  return r;
}
