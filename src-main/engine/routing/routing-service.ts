import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import type { RoutePreview } from '../../../src-shared/domain/mappings';
import type { AttemptOutcome, FailureVerdict, Resolution, RoutingService } from '../pipeline/types';
import type { ProtocolId, WireError } from '../protocols/protocol';
import type { Account, ProviderId } from '../providers/provider';
import { AuthBlocks, authBlockedError, type AuthBlock } from './auth-blocks';
import { RATE_LIMITED, restingError } from './resting-error';
import { CooldownBook, type CooldownEntry, type CooldownStore, type ResetScope } from './cooldown-book';
import { classifyFailure } from './failure-classifier';
import { ModelCatalog } from './model-catalog';
import { PayloadRules, type PayloadContext } from './payload-rules';
import { buildRoutePreview } from './route-preview';
import { formatSeconds, RetryPolicy, type AllCoolingError, type RetryConfig } from './retry-policy';
import { Selector } from './selector';
import { affinityTtlMs, SessionAffinity, sessionKeyOf } from './session-affinity';
import type { HeaderBag } from '../upstream/failure/types';
import { systemClock, type Candidate, type Clock, type FailureClassification } from './types';
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
 * The routing layer as the pipeline calls it: model resolution, ordering with cooldowns, failure
 * verdicts, retry timing and payload rules, all synchronous. Accounts and config are read through
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
  /** Per-request memory (last Retry-After), found from the candidate objects handed out. */
  private readonly requestOf = new WeakMap<Candidate, Resolution>();
  private readonly lastRetryAfter = new WeakMap<Resolution, number>();
  private readonly sessionOf = new WeakMap<Resolution, string>();
  private readonly affinity = new SessionAffinity();
  private affinityOn = false;
  /** Rejected credentials (401/403): blocked until the credential changes, never a cooldown. */
  readonly authBlocks: AuthBlocks;

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

  /**
   * Candidates for a requested model, or undefined when nothing serves it. Pass the client's
   * headers and body to let `routing.session-affinity` keep a conversation on one account.
   */
  resolve(model: string, request?: { headers?: HeaderBag; body?: unknown }): Resolution | undefined {
    this.refresh();
    const r = this.catalog.resolve(model);
    if (!r.ok) {
      // A signed-out account left the list: its model still gets the honest 401, not a 404.
      const blocked = this.authBlocks.forModel(model);
      return blocked.length ? { model, candidates: blocked.map((b) => b.candidate) } : undefined;
    }
    const res: Resolution = r.reasoning ? { model: r.model, candidates: r.candidates, reasoning: r.reasoning } : { model: r.model, candidates: r.candidates };
    if (this.affinityOn && request) {
      const session = sessionKeyOf(request.headers, request.body);
      if (session) this.sessionOf.set(res, session);
    }
    return res;
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

  private available = (c: Candidate): boolean => !this.book.isCooling(c.account.id, c.upstreamModel) && !this.authBlocks.get(c.account);

  order(resolution: Resolution): Candidate[] {
    this.refresh();
    const out = this.stickyOrder(resolution) ?? this.selector.order(resolution.model, resolution.candidates, this.available);
    for (const c of out) this.requestOf.set(c, resolution);
    return out;
  }

  /** The session's account first when it is usable; the rotation is left alone for it. */
  private stickyOrder(resolution: Resolution): Candidate[] | undefined {
    const session = this.affinityOn ? this.sessionOf.get(resolution) : undefined;
    const bound = session ? this.affinity.get(session, this.clock.now()) : undefined;
    if (!bound) return undefined;
    const peek = this.selector.order(resolution.model, resolution.candidates, this.available, { advance: false });
    const i = peek.findIndex((c) => c.account.id === bound);
    if (i < 0) return undefined;
    return [peek[i], ...peek.slice(0, i), ...peek.slice(i + 1)];
  }

  /** Is any candidate usable now? Does not move the rotation. */
  hasFree(resolution: Resolution): boolean {
    return this.selector.order(resolution.model, resolution.candidates, this.available, { advance: false }).length > 0;
  }

  /**
   * Nothing can serve: 401/403 naming the accounts when every one that could is blocked for a
   * rejected credential (no Retry-After: waiting will not help), else the cooling answer.
   */
  allCooling(resolution: Resolution): AllCoolingError | (WireError & { retryAfterSeconds?: number }) {
    this.refresh();
    const usable = resolution.candidates.filter((c) => !c.account.disabled);
    const blocks = new Map<string, AuthBlock>();
    const resting: Array<{ candidate: Candidate; entry: CooldownEntry }> = [];
    for (const c of usable) {
      const b = this.authBlocks.get(c.account);
      if (b) blocks.set(b.accountId, b);
      else {
        const entry = this.book.isDisabled() ? undefined : this.book.entryFor(c.account.id, c.upstreamModel);
        if (entry) resting.push({ candidate: c, entry });
      }
    }
    if (blocks.size && resting.length === 0) return authBlockedError(resolution.model, [...blocks.values()]);
    // Retry-After only for real rate limits: accounts resting after 5xx, resets or timeouts get a 503.
    if (resting.length && !resting.some((r) => RATE_LIMITED.has(r.entry.reason))) return restingError(resolution.model, resting, this.clock.now());
    return this.policy.allCoolingError(resolution.model, resolution.candidates.filter((c) => !this.authBlocks.get(c.account)));
  }

  /** Candidates `order` leaves out, and why (for the request log). */
  skipped(resolution: Resolution): Array<{ candidate: Candidate; reason: string; until?: number }> {
    const out: Array<{ candidate: Candidate; reason: string; until?: number }> = [];
    for (const c of resolution.candidates) {
      if (c.account.disabled) {
        out.push({ candidate: c, reason: 'disabled' });
        continue;
      }
      const b = this.authBlocks.get(c.account);
      if (b) {
        out.push({ candidate: c, reason: `${b.kind === 'needs-sign-in' ? 'needs sign-in' : 'invalid key'} (upstream ${b.status}${b.message ? `: ${b.message}` : ''})` });
        continue;
      }
      const e = this.book.isDisabled() ? undefined : this.book.entryFor(c.account.id, c.upstreamModel);
      if (e) {
        const left = formatSeconds((e.until - this.clock.now()) / 1000);
        out.push({ candidate: c, reason: `cooling until ${new Date(e.until).toISOString()} (${left} left; ${e.reason}${e.message ? `: ${e.message}` : ''})`, until: e.until });
      }
    }
    return out;
  }

  /** The account's block for a rejected credential, if any (UI status `needs sign-in` / `invalid key`). */
  authBlock(account: Account): AuthBlock | undefined {
    return this.authBlocks.get(account);
  }

  /** Classify an attempt's outcome, update cooldowns, and tell the pipeline what to do next. */
  report(candidate: Candidate, outcome: AttemptOutcome): FailureVerdict {
    const { account, upstreamModel } = candidate;
    if (outcome.ok) {
      this.book.markSuccess(account.id, upstreamModel);
      this.authBlocks.clear(account.id);
      const res = this.requestOf.get(candidate);
      const session = res && this.sessionOf.get(res);
      if (session) this.affinity.bind(session, account.id, this.clock.now());
      return { final: false };
    }
    this.refresh();
    const cfg = this.deps.config();
    const { failure } = outcome;
    const c = classifyFailure({ failure, accountKind: account.kind, now: this.clock.now(), transientCooldownMs: transientCooldownMs(cfg) });
    const res = this.requestOf.get(candidate);
    const verdict: FailureVerdict = { final: !c.retryOtherAccounts };
    if (c.refreshCredential) verdict.refresh = true;
    if (c.message) verdict.upstreamMessage = c.message;
    if (c.kind === 'auth' && c.credentialRejected) {
      // A rejected credential does not get better by waiting: blocked until it changes. Marked even
      // when a refresh follows: the refreshed retry's success (or new token) lifts it again.
      const b = this.authBlocks.block(candidate, failure.status, res?.model ?? candidate.clientModel, c.message, this.clock.now());
      verdict.reason = `${b.kind === 'needs-sign-in' ? 'needs sign-in' : 'invalid key'} (upstream ${failure.status})`;
      this.deps.onFailure?.(candidate, c);
      this.deps.onCooldownsChanged?.();
      return verdict;
    }
    // Marked even when a refresh follows: the refreshed retry's success clears it again.
    const entry = this.book.markFailure(account.id, upstreamModel, c, { disableCooling: account.meta?.disableCooling === true });
    if (res && c.cooldownUntil !== undefined && !entry) this.lastRetryAfter.set(res, Math.max(0, c.cooldownUntil - this.clock.now()));
    this.deps.onFailure?.(candidate, c);
    const what = failure.status ? `upstream ${failure.status}` : c.kind;
    if (entry) {
      verdict.retryAt = entry.until;
      verdict.reason = `${what}, ${c.kind}: cooling until ${new Date(entry.until).toISOString()}`;
    } else verdict.reason = `${what}, ${c.kind}`;
    return verdict;
  }

  nextPassDelay(resolution: Resolution, pass: number): number | undefined {
    return this.policy.nextPassDelay({ pass, candidates: resolution.candidates, lastRetryAfterMs: this.lastRetryAfter.get(resolution) });
  }

  maxCredentialsPerPass(): number {
    this.refresh();
    return this.policy.maxCredentialsPerPass();
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
    const ordered = r.ok ? this.selector.order(r.model, r.candidates, this.available, { advance: false }) : [];
    return buildRoutePreview(model, r, ordered, this.book);
  }

  /** Manual reset also lifts rejected-credential blocks of the same scope ("try it again"). */
  resetCooldowns(scope: ResetScope = {}): number {
    const blocks = scope.model === undefined ? this.authBlocks.clear(scope.accountId) : 0;
    return this.book.reset(scope) + blocks;
  }
}
