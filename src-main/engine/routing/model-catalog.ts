import { parseThinkingSuffix } from '../ir/reasoning';
import type { Account, ModelMapping, ProviderId } from '../providers/provider';
import type { Candidate, SuffixReasoning } from './types';
import { matchesAny } from './wildcard';

/**
 * Which client-visible model ids exist and which (account, upstream model) pairs serve each
 * (PROTOCOLS.md §6.1). Built once per accounts/config generation; resolving is a map lookup.
 */
export interface CatalogOptions {
  /** Prefixed accounts answer only `prefix/model` ids. */
  forceModelPrefix?: boolean;
  /** `oauth-model-alias.<channel>`: rename (or with `fork`, also expose) OAuth models. */
  oauthModelAlias?: Record<string, readonly AliasRule[]>;
  /** `oauth-excluded-models.<channel>`: wildcard patterns hidden from OAuth accounts. */
  oauthExcludedModels?: Record<string, readonly string[]>;
  /** Upstream model ids an account serves when it lists none (the provider's catalog). */
  defaultModels: (account: Account) => readonly string[];
}

export type ResolveResult =
  | { ok: true; requested: string; model: string; candidates: Candidate[]; reasoning?: SuffixReasoning }
  | { ok: false; error: 'model_not_found'; requested: string; model: string };

export interface CatalogModel {
  id: string;
  /** Provider of the first usable account serving it (for `owned_by`). */
  provider: ProviderId;
  providers: ProviderId[];
}

export type UsablePredicate = (account: Account, upstreamModel: string) => boolean;

/**
 * An alias as config holds it. Beyond CLIProxyAPI's `{name, alias, fork}`, Switchyard's mapping
 * wizard writes `reasoning` (a level: the alias asks for that much thinking) and, on OAuth aliases,
 * `prefix` (the alias applies only to accounts with that prefix). A thinking suffix on `name`
 * (`claude-sonnet-4-5(high)`) means the same as `reasoning`.
 */
export type AliasRule = ModelMapping & { reasoning?: unknown; prefix?: unknown };

interface Route {
  account: Account;
  upstreamModel: string;
  reasoning?: SuffixReasoning;
}

interface Served {
  clientId: string;
  upstream: string;
  reasoning?: SuffixReasoning;
}

/** Upstream name and configured reasoning of one alias target. */
function target(name: string, level: unknown): { upstream: string; reasoning?: SuffixReasoning } {
  const suffix = parseThinkingSuffix(name.trim());
  let reasoning = suffix.model !== name.trim() ? reasoningOf(suffix) : undefined;
  if (typeof level === 'string' && level.trim()) {
    const fromLevel = parseThinkingSuffix(`m(${level.trim()})`);
    if (fromLevel.model === 'm') reasoning = reasoningOf(fromLevel) ?? reasoning;
  }
  return reasoning ? { upstream: suffix.model, reasoning } : { upstream: suffix.model };
}

function sameReasoning(a: SuffixReasoning | undefined, b: SuffixReasoning | undefined): boolean {
  return a?.effort === b?.effort && a?.budget === b?.budget && a?.auto === b?.auto;
}

/**
 * `oauth-*` maps are keyed by channel, which for signed-in accounts is our provider id
 * (`claude`, `codex`, `gemini-cli`, `antigravity`, …). Key entries carry their own lists instead.
 */
function channelEntries<T>(map: Record<string, readonly T[]> | undefined, account: Account): T[] {
  if (!map || account.kind !== 'oauth') return [];
  const hit = Object.entries(map).find(([k]) => k.toLowerCase() === account.provider);
  return hit ? [...hit[1]] : [];
}

/** The models one account serves, after aliases and exclusions, before prefixes. */
function servedBy(account: Account, opts: CatalogOptions): Served[] | 'open' {
  let served: Served[];
  if (account.models?.length) {
    served = [];
    for (const m of account.models as AliasRule[]) {
      const t = target(m.name, m.reasoning);
      const alias = m.alias?.trim();
      if (alias && alias !== m.name) {
        served.push({ clientId: alias, ...t });
        if (m.fork) served.push({ clientId: t.upstream, upstream: t.upstream });
      } else served.push({ clientId: t.upstream, ...t });
    }
  } else {
    const defaults = opts.defaultModels(account);
    // No list anywhere (e.g. an OpenAI-compatible endpoint without `models`): serve any id asked for.
    if (!defaults.length) return 'open';
    served = defaults.map((n) => ({ clientId: n, upstream: n }));
  }

  const aliases = channelEntries(opts.oauthModelAlias, account).filter(
    (a) => typeof a.prefix !== 'string' || !a.prefix || a.prefix === account.prefix,
  );
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
        next.push(t.reasoning ? { clientId: a.alias!.trim(), upstream: s.upstream, reasoning: t.reasoning } : { clientId: a.alias!.trim(), upstream: s.upstream });
      }
      if (hits.some((a) => a.fork)) next.push(s);
    }
    served = next;
  }

  const excluded = [...(account.excludedModels ?? []), ...channelEntries(opts.oauthExcludedModels, account)];
  if (excluded.length) served = served.filter((s) => !matchesAny(excluded, s.upstream) && !matchesAny(excluded, s.clientId));
  return served;
}

function reasoningOf(s: ReturnType<typeof parseThinkingSuffix>): SuffixReasoning | undefined {
  if (s.effort === undefined && s.budget === undefined && !s.auto) return undefined;
  const r: SuffixReasoning = {};
  if (s.effort !== undefined) r.effort = s.effort;
  if (s.budget !== undefined) r.budget = s.budget;
  if (s.auto) r.auto = true;
  return r;
}

export class ModelCatalog {
  private readonly routes = new Map<string, Route[]>();
  /** Lower-cased id → canonical id, so `GPT-4o` finds `gpt-4o` when no exact id exists. */
  private readonly folded = new Map<string, string>();
  private readonly open: Account[] = [];

  constructor(
    accounts: readonly Account[],
    private readonly opts: CatalogOptions,
  ) {
    const sorted = [...accounts].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const account of sorted) {
      const served = servedBy(account, opts);
      if (served === 'open') {
        this.open.push(account);
        continue;
      }
      for (const s of served) {
        if (account.prefix) this.add(`${account.prefix}/${s.clientId}`, account, s.upstream, s.reasoning);
        if (!account.prefix || !opts.forceModelPrefix) this.add(s.clientId, account, s.upstream, s.reasoning);
      }
    }
  }

  private add(id: string, account: Account, upstreamModel: string, reasoning?: SuffixReasoning): void {
    let list = this.routes.get(id);
    if (!list) {
      list = [];
      this.routes.set(id, list);
      if (!this.folded.has(id.toLowerCase())) this.folded.set(id.toLowerCase(), id);
    }
    if (list.some((r) => r.account.id === account.id && r.upstreamModel === upstreamModel)) return;
    list.push(reasoning ? { account, upstreamModel, reasoning } : { account, upstreamModel });
  }

  private lookup(id: string): Route[] | undefined {
    const exact = this.routes.get(id);
    if (exact) return exact;
    const canonical = this.folded.get(id.toLowerCase());
    return canonical ? this.routes.get(canonical) : undefined;
  }

  /** Accounts without a model list that accept `id` (prefix stripped when it names theirs). */
  private openRoutes(id: string): Route[] {
    const out: Route[] = [];
    for (const account of this.open) {
      const excluded = account.excludedModels;
      if (account.prefix && id.startsWith(`${account.prefix}/`)) {
        const rest = id.slice(account.prefix.length + 1);
        if (rest && !matchesAny(excluded, rest)) out.push({ account, upstreamModel: rest });
      } else if ((!account.prefix || !this.opts.forceModelPrefix) && !matchesAny(excluded, id)) {
        out.push({ account, upstreamModel: id });
      }
    }
    return out;
  }

  /**
   * Candidates for a requested id, in config order. The thinking suffix is only split off when the
   * whole id is not itself a model (some upstream ids contain parentheses).
   */
  resolve(requested: string): ResolveResult {
    const id = requested.trim();
    let routes = this.lookup(id);
    let model = id;
    let reasoning: SuffixReasoning | undefined;
    if (!routes) {
      const suffix = parseThinkingSuffix(id);
      model = suffix.model;
      reasoning = model !== id ? reasoningOf(suffix) : undefined;
      routes = this.lookup(model);
      if (!routes) {
        const open = this.openRoutes(model);
        if (open.length) routes = open;
      }
    }
    if (!routes?.length) return { ok: false, error: 'model_not_found', requested, model };
    // The client's suffix wins over an alias's configured reasoning (PROTOCOLS.md §3.12).
    const candidates: Candidate[] = routes.map((r) => {
      const c: Candidate = { account: r.account, upstreamModel: r.upstreamModel, clientModel: requested };
      const effective = reasoning ?? r.reasoning;
      if (effective) c.reasoning = effective;
      return c;
    });
    const shared = reasoning ?? (candidates.every((c) => sameReasoning(c.reasoning, candidates[0].reasoning)) ? candidates[0].reasoning : undefined);
    return shared ? { ok: true, requested, model, candidates, reasoning: shared } : { ok: true, requested, model, candidates };
  }

  /** For GET /v1/models: ids that at least one enabled and usable (account × model) serves, in config order. */
  listModels(isUsable: UsablePredicate = () => true): CatalogModel[] {
    const out: CatalogModel[] = [];
    for (const [id, routes] of this.routes) {
      const usable = routes.filter((r) => !r.account.disabled && isUsable(r.account, r.upstreamModel));
      if (!usable.length) continue;
      const providers = [...new Set(usable.map((r) => r.account.provider))];
      out.push({ id, provider: providers[0], providers });
    }
    return out;
  }

  /** Every client id known (usable or not), for diagnostics and the mapping wizard. */
  ids(): string[] {
    return [...this.routes.keys()];
  }
}
