import type { CredentialSource } from '../pipeline/types';
import type { HostOverrides } from '../upstream/host-overrides';
import type { CredentialUse } from '../quota/source';
import { tokensOf, withTokens } from './auth-file';
import { isGrantRefused, refreshTokens, tokenSetFrom, withRecordSecret } from './oauth-client';
import type { FlowContext, ProviderAuth } from './provider-auth';
import type { AccountRegistry } from './registry';
import { AuthError, systemClock, type AuthRecord, type Clock, type OAuthProviderId } from './types';

export interface TokenCacheOptions {
  registry: AccountRegistry;
  auths: (provider: OAuthProviderId) => ProviderAuth;
  hostOverrides: () => HostOverrides;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Background check cadence (CLIProxyAPI checks every 5 s). */
  checkIntervalMs?: number;
  /** Wait after a failed (network) refresh before the background loop tries again. */
  failureBackoffMs?: number;
  onRefresh?: (id: string, outcome: 'ok' | 'needs-login' | 'failed', err?: Error) => void;
  /**
   * Several instances over one store: run each refresh under a cross-instance lock. Inside it the
   * registry is reloaded first, and a token another instance refreshed meanwhile is adopted
   * instead of refreshed again (one refresh grant per expiry, however many instances).
   */
  coordinator?: { exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> };
}

/** A 401 right after a refresh is not worth a second refresh. */
const RECENT_REFRESH_MS = 10_000;
/** Tokens this close to expiry are treated as expired on the request path. */
const EXPIRY_SAFETY_MS = 5_000;

/**
 * Hands out fresh access tokens. Refreshes run in the background ahead of expiry (per-provider
 * lead); a request only waits for a refresh when its token has actually expired. Concurrent
 * refreshes of one account merge into one; refreshed (possibly rotated) tokens are saved before
 * anyone uses them; a refused refresh marks the account needs-login.
 */
export class TokenCache {
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly lastRefresh = new Map<string, number>();
  private readonly backoffUntil = new Map<string, number>();
  private readonly clock: Clock;
  private timer?: NodeJS.Timeout;
  /** Number of refresh calls actually sent (tests and diagnostics). */
  refreshCount = 0;

  constructor(private readonly opts: TokenCacheOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** A fresh credential; `account-api`: the secret the provider's account API takes (auth's `accountApiCredentialOf`). */
  async getCredential(id: string, use: CredentialUse = 'request'): Promise<string> {
    const reg = this.opts.registry;
    const entry = reg.entry(id);
    if (!entry) throw new AuthError(`no signed-in account "${id}"`, 'unknown_account');
    const status = reg.status(id);
    if (status === 'disabled') throw new AuthError(`account "${id}" is disabled`, 'disabled');
    if (status === 'needs-login') throw new AuthError(`account "${id}" needs a new sign-in (${entry.problem ?? entry.meta.needsLogin ?? 'signed out'})`, 'needs_login');
    const t = reg.tokens(id)!;
    const now = this.clock();
    const lead = this.leadFor(id);
    if (t.expiresAt === undefined || t.expiresAt - now > EXPIRY_SAFETY_MS) {
      // Still valid: serve it now; if it is inside the lead, refresh behind the request's back.
      if (t.expiresAt !== undefined && t.expiresAt - now <= lead && !this.inBackoff(id)) void this.refresh(id).catch(() => undefined);
      return this.credentialOf(id, use);
    }
    await this.refresh(id);
    return this.credentialOf(id, use);
  }

  /** The upstream said 401: refresh once (merged with any refresh in flight). True = a new token is ready. */
  async onUnauthorized(id: string): Promise<boolean> {
    const last = this.lastRefresh.get(id);
    if (!this.inflight.has(id) && last !== undefined && this.clock() - last < RECENT_REFRESH_MS) return true;
    try {
      await this.refresh(id);
      return true;
    } catch {
      return false;
    }
  }

  /** Refresh now; concurrent callers share one request. */
  refresh(id: string): Promise<void> {
    const running = this.inflight.get(id);
    if (running) return running;
    const p = this.doRefresh(id).finally(() => this.inflight.delete(id));
    this.inflight.set(id, p);
    return p;
  }

  /** The pipeline's view: `CredentialSource` from pipeline/types. */
  credentialSource(): CredentialSource {
    return {
      get: (account) => this.getCredential(account.id),
      refreshAfterUnauthorized: (account) => this.onUnauthorized(account.id),
    };
  }

  /** Start the background loop that refreshes tokens ahead of expiry. */
  start(): void {
    if (this.timer) return;
    // A timer callback that throws takes the whole process down: one bad account must not.
    this.timer = setInterval(() => void this.tick().catch(() => undefined), this.opts.checkIntervalMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass of the background loop (exposed so tests can drive it with a fake clock). */
  async tick(): Promise<void> {
    const reg = this.opts.registry;
    const now = this.clock();
    const jobs: Promise<void>[] = [];
    for (const id of reg.ids()) {
      try {
        if (reg.status(id) !== 'active' || this.inflight.has(id) || this.inBackoff(id)) continue;
        const t = reg.tokens(id);
        if (!t?.expiresAt || !t.refreshToken) continue;
        if (t.expiresAt - now <= this.leadFor(id)) jobs.push(this.refresh(id).catch(() => undefined));
      } catch (err) {
        // One account's broken record is that account's problem, not the loop's.
        this.opts.onRefresh?.(id, 'failed', err as Error);
      }
    }
    await Promise.all(jobs);
  }

  /** Resolves when no refresh is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight.values()]);
  }

  /**
   * The provider's lead, capped at half the token's lifetime: a token that lives shorter than the
   * lead would otherwise be refreshed on every use.
   */
  private leadFor(id: string): number {
    const e = this.opts.registry.entry(id)!;
    const lead = this.opts.auths(e.meta.provider).refreshLeadMs;
    const t = e.record ? tokensOf(e.record) : undefined;
    const rec = e.record ?? {};
    const issued =
      typeof rec.last_refresh === 'string' ? Date.parse(rec.last_refresh) : typeof rec.timestamp === 'number' ? rec.timestamp : Number.NaN;
    if (!t?.expiresAt || !Number.isFinite(issued) || t.expiresAt <= issued) return lead;
    return Math.min(lead, (t.expiresAt - issued) / 2);
  }

  private inBackoff(id: string): boolean {
    return (this.backoffUntil.get(id) ?? 0) > this.clock();
  }

  private credentialOf(id: string, use: CredentialUse): string {
    const e = this.opts.registry.entry(id)!;
    const auth = this.opts.auths(e.meta.provider);
    const accountApi = use === 'account-api' ? auth.accountApiCredentialOf?.(e.record!) : undefined;
    const cred = accountApi ?? (auth.credentialOf ? auth.credentialOf(e.record!) : tokensOf(e.record!)?.accessToken);
    if (!cred) throw new AuthError(`account "${id}" has no usable credential; sign in again`, 'needs_login');
    return cred;
  }

  private doRefresh(id: string): Promise<void> {
    const coordinator = this.opts.coordinator;
    if (!coordinator) return this.refreshNow(id);
    return coordinator.exclusive(id, async () => {
      const reg = this.opts.registry;
      const before = reg.entry(id)?.record ? tokensOf(reg.entry(id)!.record!) : undefined;
      await reg.load();
      const after = reg.entry(id)?.record ? tokensOf(reg.entry(id)!.record!) : undefined;
      const fresh = after?.expiresAt === undefined || after.expiresAt - this.clock() > EXPIRY_SAFETY_MS;
      if (after && before && after.accessToken !== before.accessToken && fresh) {
        this.lastRefresh.set(id, this.clock());
        this.opts.onRefresh?.(id, 'ok');
        return;
      }
      await this.refreshNow(id);
    });
  }

  private async refreshNow(id: string): Promise<void> {
    const reg = this.opts.registry;
    const entry = reg.entry(id);
    if (!entry?.record) throw new AuthError(`no signed-in account "${id}"`, 'unknown_account');
    const provider = entry.meta.provider;
    const auth = withRecordSecret(this.opts.auths(provider), entry.record);
    const before = tokensOf(entry.record);
    if (!before?.refreshToken) {
      const err = new AuthError(`${auth.displayName} account "${id}" has no refresh token; sign in again`, 'no_refresh_token');
      await reg.markNeedsLogin(id, err.message);
      this.opts.onRefresh?.(id, 'needs-login', err);
      throw err;
    }
    this.refreshCount++;
    let next: AuthRecord;
    try {
      const res = auth.refreshGrant
        ? await auth.refreshGrant(before.refreshToken, this.flowContext())
        : await refreshTokens(auth, before.refreshToken, this.opts.hostOverrides(), this.opts.fetch);
      const now = this.clock();
      next = withTokens(entry.record, provider, tokenSetFrom(res, now, before), now);
      if (auth.afterRefresh) next = await auth.afterRefresh(next, this.flowContext());
    } catch (err) {
      if (isGrantRefused(err)) {
        await reg.markNeedsLogin(id, (err as Error).message);
        this.opts.onRefresh?.(id, 'needs-login', err as Error);
      } else {
        this.backoffUntil.set(id, this.clock() + (this.opts.failureBackoffMs ?? 60_000));
        this.opts.onRefresh?.(id, 'failed', err as Error);
      }
      throw err;
    }
    // Saved before anyone sees it: a rotated refresh token must never live only in memory.
    await reg.saveRecord(id, next);
    this.lastRefresh.set(id, this.clock());
    this.backoffUntil.delete(id);
    this.opts.onRefresh?.(id, 'ok');
  }

  private flowContext(): FlowContext {
    return { hostOverrides: this.opts.hostOverrides(), fetch: this.opts.fetch ?? fetch, now: this.clock(), say: () => undefined };
  }
}
