import { parseThinkingSuffix } from '../ir/reasoning';
import { inFamily } from '../models/families';
import type { ModelInfo, ModelSource } from '../models/types';
import { SOURCE_RANK } from '../models/types';
import type { Account, ProviderId } from '../providers/provider';
import { channelEntries, reasoningOf, sameReasoning, servedBy, type AliasRule, type Served } from './served-models';
import type { Candidate, SuffixReasoning } from './types';
import { matchesAny } from './wildcard';

export type { AliasRule } from './served-models';

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
  /** Upstream model ids an account serves when it lists none (the provider's built-in catalog). */
  defaultModels: (account: Account) => readonly string[];
  /** The account's models as its upstream last listed them; replaces the built-in catalog. */
  discovered?: (account: Account) => readonly string[] | undefined;
  /** Facts (context window, capabilities) about an upstream id for `/v1/models`. */
  info?: (account: Account, upstreamModel: string) => ModelInfo | undefined;
}

export type ResolveResult =
  | { ok: true; requested: string; model: string; candidates: Candidate[]; reasoning?: SuffixReasoning }
  | { ok: false; error: 'model_not_found'; requested: string; model: string };

export interface CatalogModel {
  id: string;
  /** Provider of the first usable account serving it (for `owned_by`). */
  provider: ProviderId;
  providers: ProviderId[];
  /** The strongest source among its routes: config > discovered > catalog. */
  source: ModelSource;
  /** Facts about the upstream model behind it (first route that has any). */
  info?: ModelInfo;
}

export type UsablePredicate = (account: Account, upstreamModel: string) => boolean;

interface Route {
  account: Account;
  upstreamModel: string;
  reasoning?: SuffixReasoning;
  source?: ModelSource;
}


const MAX_RESOLVED = 1024;

/** What a model id looks like (family routing sends nothing else upstream). */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

export class ModelCatalog {
  private readonly routes = new Map<string, Route[]>();
  /** Lower-cased id → canonical id, so `GPT-4o` finds `gpt-4o` when no exact id exists. */
  private readonly folded = new Map<string, string>();
  private readonly open: Account[] = [];
  /** Accounts that list no models in config: candidates for ids of their family no list knows. */
  private readonly family: Array<{ account: Account; renamed: Set<string> }> = [];
  /** id × account × upstream already added (duplicate routes are dropped in O(1), not by a scan). */
  private readonly added = new Set<string>();
  /**
   * Resolved ids of this generation: every request for a model gets the same candidate list (read
   * only), so per-request work does not grow with the accounts serving it and the selector's
   * ring order is computed once. Bounded: clients choose the ids.
   */
  private readonly resolved = new Map<string, ResolveResult>();
  readonly accountCount: number;

  constructor(
    accounts: readonly Account[],
    private readonly opts: CatalogOptions,
  ) {
    this.accountCount = accounts.length;
    const sorted = [...accounts].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const account of sorted) {
      const { served, open, family, renamed } = servedBy(account, opts);
      if (open) this.open.push(account);
      else if (family) this.family.push({ account, renamed });
      for (const s of served) {
        if (account.prefix) this.add(`${account.prefix}/${s.clientId}`, account, s);
        if (!account.prefix || !opts.forceModelPrefix) this.add(s.clientId, account, s);
      }
    }
  }

  private add(id: string, account: Account, s: Served): void {
    let list = this.routes.get(id);
    if (!list) {
      list = [];
      this.routes.set(id, list);
      if (!this.folded.has(id.toLowerCase())) this.folded.set(id.toLowerCase(), id);
    }
    const key = `${id}\u0000${account.id}\u0000${s.upstream}`;
    if (this.added.has(key)) return;
    this.added.add(key);
    const route: Route = { account, upstreamModel: s.upstream, source: s.source };
    if (s.reasoning) route.reasoning = s.reasoning;
    list.push(route);
  }

  private lookup(id: string): Route[] | undefined {
    const exact = this.routes.get(id);
    if (exact) return exact;
    const canonical = this.folded.get(id.toLowerCase());
    return canonical ? this.routes.get(canonical) : undefined;
  }

  /**
   * Accounts that may serve an id no list knows: those of its family (`claude-*` → Claude, …)
   * first, then accounts that accept any id. Prefix stripped when it names theirs.
   */
  private openRoutes(id: string): Route[] {
    const out: Route[] = [];
    const family = this.family
      .filter(({ account: a, renamed }) => {
        const bare = a.prefix && id.startsWith(`${a.prefix}/`) ? id.slice(a.prefix.length + 1) : id;
        // Only plain model ids: a malformed thinking suffix (`gpt-5(bogus)`) is not a new model.
        return MODEL_ID.test(bare) && inFamily(a.provider, bare) && !renamed.has(bare.toLowerCase()) && !matchesAny(channelEntries(this.opts.oauthExcludedModels, a), bare);
      })
      .map((f) => f.account);
    for (const account of [...family, ...this.open]) {
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
    const hit = this.resolved.get(requested);
    if (hit) return hit;
    const r = this.compute(requested);
    if (r.ok) {
      if (this.resolved.size >= MAX_RESOLVED) this.resolved.clear();
      this.resolved.set(requested, r);
    }
    return r;
  }

  private compute(requested: string): ResolveResult {
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
      const source = usable.map((r) => r.source ?? 'catalog').reduce((a, b) => (SOURCE_RANK[b] > SOURCE_RANK[a] ? b : a));
      const model: CatalogModel = { id, provider: providers[0], providers, source };
      for (const r of usable) {
        const info = this.opts.info?.(r.account, r.upstreamModel);
        if (info) {
          model.info = info;
          break;
        }
      }
      out.push(model);
    }
    return out;
  }

  /** Every client id known (usable or not), for diagnostics and the mapping wizard. */
  ids(): string[] {
    return [...this.routes.keys()];
  }
}
