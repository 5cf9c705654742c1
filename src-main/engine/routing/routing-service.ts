import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import type { RoutePreview } from '../../../src-shared/domain/mappings';
import type { ProtocolId } from '../protocols/protocol';
import type { Account, ProviderId } from '../providers/provider';
import { AuthBlocks, type AuthBlock } from './auth-blocks';
import { allBlockedError, skippedCandidates, type AvailabilityDeps } from './availability';
import type { BeginContext, Resolution, RouteSession, RoutingService } from './contract';
import { CooldownBook, type CooldownEntry, type CooldownStore, type ResetScope } from './cooldown-book';
import { ModelCatalog } from './model-catalog';
import { toArray } from './ordering';
import { PayloadRules, type PayloadContext } from './payload-rules';
import { buildRoutePreview } from './route-preview';
import { RetryPolicy, type RetryConfig } from './retry-policy';
import { RequestRoute, type SessionHost } from './route-session';
import { Selector } from './selector';
import { affinityTtlMs, SessionAffinity, sessionKeyOf } from './session-affinity';
import type { HeaderBag } from '../upstream/failure/types';
import { systemClock, type Candidate, type Clock, type FailureClassification } from './types';
import { UsableCache } from './usable-set';
import { judgeOutcome } from './verdict';
import type { ModelInfo, ModelSource } from '../models/types';

/** One `/v1/models` entry: the id, who serves it, where the id came from and what is known about it. */
export interface ListedModel {
  id: string;
  provider: ProviderId;
  source: ModelSource;
  info?: ModelInfo;
}

export interface RoutingDeps {
  accounts: () => readonly Account[];
  config: () => SwitchyardConfig;
  /** The provider's model list for accounts that list none (`providerFor(id).defaultModels`). */
  defaultModels: (account: Account) => readonly string[];
  /** Model discovery: the account's upstream-listed ids, facts per id, and a change counter. */
  models?: {
    discovered(account: Account): readonly string[] | undefined;
    info(account: Account, upstreamModel: string): ModelInfo | undefined;
    generation(): number;
  };
  clock?: Clock;
  store?: CooldownStore;
  onError?: (err: unknown) => void;
  /** Every classified failure (request log, UI notifications). */
  onFailure?: (candidate: Candidate, c: FailureClassification) => void;
  onCooldownsChanged?: () => void;
  /**
   * A hash of the account's current credential (key + entry settings, or access token): a block
   * for a rejected credential lifts as soon as this changes. Never the secret itself.
   */
  credentialFingerprint?: (account: Account) => string | undefined;
}

/** Reasons that hide a model from GET /v1/models; quota/rate cooling keeps it listed (it comes back). */
const HIDING: ReadonlySet<string> = new Set(['auth', 'payment', 'not-found', 'model-unsupported']);

function retryConfigOf(cfg: SwitchyardConfig): RetryConfig {
  return {
    requestRetry: cfg['request-retry'],
    maxRetryIntervalSec: cfg['max-retry-interval'],
    maxRetryCredentials: cfg['max-retry-credentials'],
  };
}

/** `transient-error-cooldown-seconds` (reference [H] key, kept loose): 0 = default 60 s, −1 = off. */
function transientCooldownMs(cfg: SwitchyardConfig): number | undefined {
  const v = (cfg as Record<string, unknown>)['transient-error-cooldown-seconds'];
  if (typeof v !== 'number' || !Number.isFinite(v) || v === 0) return undefined;
  return v < 0 ? 0 : v * 1000;
}

/**
 * The routing layer as the pipeline calls it: model resolution, one route session per request
 * (ordering with cooldowns, failure verdicts, retry timing), payload rules, all synchronous. It
 * keeps what outlives a request (rotation cursors, cooldowns, credential blocks, conversation
 * bindings); a request's own state lives in its session. Accounts and config are read through
 * getters and recompiled when either object changes, so a hot reload needs no call here, and the
 * selection cursors and cooldowns (keyed by stable account ids) carry over.
 */
export class Routing implements RoutingService {
  readonly book: CooldownBook;
  private readonly selector = new Selector();
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private seenAccounts: readonly Account[] | undefined;
  private seenConfig: SwitchyardConfig | undefined;
  private seenModels = -1;
  private catalog!: ModelCatalog;
  private rules!: PayloadRules;
  private readonly affinity = new SessionAffinity();
  private affinityOn = false;
  /** Rejected credentials (401/403): blocked until the credential changes, never a cooldown. */
  readonly authBlocks: AuthBlocks;
  /** Each candidate list's usable split, until availability changes (usable-set.ts). */
  private readonly usable: UsableCache;
  /** Narrowed lists of named capabilities (`BeginContext.capability`), per catalog list. */
  private readonly capableLists = new WeakMap<readonly Candidate[], Map<string, Candidate[]>>();

  constructor(private readonly deps: RoutingDeps) {
    this.clock = deps.clock ?? systemClock;
    this.book = new CooldownBook({
      clock: this.clock,
      store: deps.store,
      onError: deps.onError,
      onChange: deps.onCooldownsChanged,
    });
    this.policy = new RetryPolicy(retryConfigOf(deps.config()), this.book);
    this.authBlocks = new AuthBlocks(deps.credentialFingerprint);
    this.usable = new UsableCache(this.book, this.authBlocks, this.clock);
    this.refresh();
  }

  /** Recompile when the accounts list or the config object changed (cheap identity checks). */
  private refresh(): void {
    const accounts = this.deps.accounts();
    const cfg = this.deps.config();
    const models = this.deps.models?.generation() ?? 0;
    if (accounts === this.seenAccounts && cfg === this.seenConfig && models === this.seenModels) return;
    const cfgChanged = cfg !== this.seenConfig;
    this.seenAccounts = accounts;
    this.seenConfig = cfg;
    this.authBlocks?.prune(accounts);
    this.seenModels = models;
    const m = this.deps.models;
    this.catalog = new ModelCatalog(accounts, {
      forceModelPrefix: cfg['force-model-prefix'],
      oauthModelAlias: cfg['oauth-model-alias'],
      oauthExcludedModels: cfg['oauth-excluded-models'],
      defaultModels: this.deps.defaultModels,
      ...(m ? { discovered: (a: Account) => m.discovered(a), info: (a: Account, id: string) => m.info(a, id) } : {}),
    });
    if (cfgChanged) {
      this.selector.setStrategy(cfg.routing.strategy);
      this.book.setDisabled(cfg['disable-cooling']);
      this.policy.update(retryConfigOf(cfg));
      this.rules = new PayloadRules(cfg.payload);
      const r = cfg.routing as Record<string, unknown>;
      this.affinityOn = r['session-affinity'] === true;
      this.affinity.setTtl(affinityTtlMs(r['session-affinity-ttl']));
      for (const w of this.rules.warnings) this.deps.onError?.(new Error(w));
    }
  }

  /** Restore persisted cooldowns (call once at start-up, before serving). */
  restore(): Promise<number> {
    return this.book.restore();
  }

  /** Write pending cooldown changes (shutdown). */
  flush(): Promise<void> {
    return this.book.flush();
  }

  /** The candidates for a model, or undefined when nothing serves it. Moves nothing. */
  resolve(model: string, _request?: { headers?: HeaderBag; body?: unknown }): Resolution | undefined {
    this.refresh();
    const r = this.catalog.resolve(model);
    if (!r.ok) {
      // A signed-out account left the list: its model still gets the honest 401, not a 404.
      const blocked = this.authBlocks.forModel(model);
      return blocked.length ? { model, candidates: blocked.map((b) => b.candidate) } : undefined;
    }
    return r.reasoning ? { model: r.model, candidates: r.candidates, reasoning: r.reasoning } : { model: r.model, candidates: r.candidates };
  }

  /**
   * A route for one request, or undefined when nothing serves the model. The client's headers
   * and body let `routing.session-affinity` keep a conversation on one account; `capable`
   * narrows the candidates to those that can do the operation.
   */
  begin(model: string, ctx: BeginContext = {}): RouteSession | undefined {
    const resolved = this.resolve(model);
    if (!resolved || resolved.candidates.length === 0) return undefined;
    const capable = ctx.capable;
    const resolution = capable ? { ...resolved, candidates: this.narrowed(resolved.candidates, capable, ctx.capability) } : resolved;
    const conversation = this.affinityOn && (ctx.headers || ctx.body !== undefined) ? sessionKeyOf(ctx.headers, ctx.body) : undefined;
    return new RequestRoute(this.host, resolution, conversation);
  }

  /** The capable candidates of a list; named capabilities are kept per list (weak: lists come and go with the catalog). */
  private narrowed(candidates: Candidate[], capable: (c: Candidate) => boolean, capability: string | undefined): Candidate[] {
    if (capability === undefined) return candidates.filter((c) => capable(c));
    let byName = this.capableLists.get(candidates);
    if (!byName) this.capableLists.set(candidates, (byName = new Map()));
    let list = byName.get(capability);
    if (!list) byName.set(capability, (list = candidates.filter((c) => capable(c))));
    return list;
  }

  /** The session side of routing: everything per request lives in the RequestRoute, not here. */
  private readonly host: SessionHost = {
    order: (resolution, advance) => {
      this.refresh();
      return this.selector.plan(resolution.model, this.usable.of(resolution.candidates), { advance });
    },
    boundAccount: (session) => this.affinity.get(session, this.clock.now()),
    bind: (session, accountId) => this.affinity.bind(session, accountId, this.clock.now()),
    judge: (candidate, outcome, model) => {
      this.refresh();
      return judgeOutcome(candidate, outcome, model, {
        book: this.book,
        authBlocks: this.authBlocks,
        now: this.clock.now(),
        transientCooldownMs: transientCooldownMs(this.deps.config()),
        onFailure: this.deps.onFailure,
        onCooldownsChanged: this.deps.onCooldownsChanged,
      });
    },
    maxCredentialsPerPass: () => {
      this.refresh();
      return this.policy.maxCredentialsPerPass();
    },
    nextPassDelay: (candidates, pass, lastRetryAfterMs) => this.policy.nextPassDelay({ pass, candidates, lastRetryAfterMs }),
    allBlocked: (resolution) => {
      this.refresh();
      return allBlockedError(resolution, this.availabilityDeps());
    },
    // Only the candidates the split left out can be skipped: no walk over the whole pool.
    skipped: (resolution) => {
      const split = this.usable.of(resolution.candidates);
      return split.left.length === 0 ? [] : skippedCandidates(split.left, this.availabilityDeps(), split.soonest);
    },
  };

  private availabilityDeps(): AvailabilityDeps {
    return { book: this.book, authBlocks: this.authBlocks, policy: this.policy, now: this.clock.now() };
  }

  listModels(): ListedModel[] {
    this.refresh();
    return this.catalog
      .listModels((a, m) => {
        if (a.disabled || this.authBlocks.get(a)) return false;
        const e = this.book.entryFor(a.id, m);
        return !e || !HIDING.has(e.reason);
      })
      .map((m) => (m.info ? { id: m.id, provider: m.provider, source: m.source, info: m.info } : { id: m.id, provider: m.provider, source: m.source }));
  }

  /** What to tell a client whose model nothing serves: with no accounts at all, how to add one. */
  unservedMessage(model: string): string {
    this.refresh();
    if (this.catalog.accountCount === 0) {
      return 'No accounts yet — sign in with `switchyard login <provider>` or add an API key (config.yaml or the app), then retry.';
    }
    return `The model "${model}" is not served by any configured account.`;
  }

  /** The account's block for a rejected credential, if any (UI status `needs sign-in` / `invalid key`). */
  authBlock(account: Account): AuthBlock | undefined {
    return this.authBlocks.get(account);
  }

  applyPayloadRules(body: Record<string, unknown>, ctx: { model: string; protocol: ProtocolId; clientModel?: string; provider?: ProviderId }): Record<string, unknown> {
    this.refresh();
    const pctx: PayloadContext = { model: ctx.model, protocol: ctx.protocol };
    if (ctx.clientModel) pctx.clientModel = ctx.clientModel;
    if (ctx.provider) pctx.provider = ctx.provider;
    return this.rules.apply(body, pctx);
  }

  hasPayloadRules(): boolean {
    this.refresh();
    return !this.rules.isEmpty();
  }

  // ---- management / UI ----

  cooldowns(): CooldownEntry[] {
    this.refresh();
    return this.book.entries();
  }

  /** One account's live cooldowns (whole-account entry has model ''), soonest first. */
  cooldownsFor(accountId: string): CooldownEntry[] {
    return this.cooldowns()
      .filter((e) => e.accountId === accountId)
      .sort((a, b) => a.until - b.until);
  }

  /** When a whole-account bench ends (auth, payment), for `cooldown_until`; model benches do not count. */
  accountCooldownUntil(accountId: string): number | undefined {
    return this.book.nextFreeAt(accountId);
  }

  /** The mapping wizard's "how would this be routed": steps and candidates, without moving any cursor. */
  preview(model: string): RoutePreview {
    this.refresh();
    const r = this.catalog.resolve(model);
    const ordered = r.ok ? toArray(this.selector.plan(r.model, this.usable.of(r.candidates), { advance: false })) : [];
    return buildRoutePreview(model, r, ordered, this.book);
  }

  /** Manual reset also lifts rejected-credential blocks of the same scope ("try it again"). */
  resetCooldowns(scope: ResetScope = {}): number {
    const blocks = scope.model === undefined ? this.authBlocks.clear(scope.accountId) : 0;
    return this.book.reset(scope) + blocks;
  }
}
