import { Router as expressRouter, type Express, type RequestHandler, type Router } from 'express';
import { EventEmitter } from 'node:events';
import type { SwitchyardConfig } from '../../src-shared/config/schema';
import type { EngineState } from '../../src-shared/domain/status';
import { managementAccountStatus } from '../../src-shared/domain/accounts';
import type { ConfigStore } from './config/store';
import { secureDataDir } from './config/paths';
import { createLogger, type Logger } from './log/logger';
import { providers } from './providers';
import { accountsFromConfig, type KeyedAccount } from './providers/config-accounts';
import type { Account } from './providers/provider';
import { DispatcherPool } from './upstream/dispatchers';
import { usageRoutes } from './management/usage-routes';
import { quotaRoutes } from './management/quota-routes';
import type { UsageRecorder, UsageRecord } from './usage';
import type { Routing } from './routing';
import type { QuotaService } from './quota';
import type { ResponsesWebSocketService } from './server/responses-websocket';
import type { AccountRegistry, TokenCache } from './accounts';
import type { SecretStore } from './accounts/secret-store';
import type { PipelineDeps } from './pipeline/generate';
import type { CredentialSource, PipelineObserver, RequestRecord } from './pipeline/types';
import { loadKimiDeviceId } from './providers/kimi/identity';
import { openTeamStore, type TeamStore } from './team';
import type { IpRules } from './team/ops/ip-allowlist';
import type { ModelDiscovery } from './models/discovery';
import { accountStatusOf, loadSignedIn, type EngineAccountStatus } from './engine-accounts';
import { createCredentialSource, createEngineObserver, credentialFingerprint, type EngineEvents, type SecretSources } from './engine-credentials';
import type { Address, EngineListener } from './engine-lifecycle';
import { buildApp, buildListener, buildModels, buildQuota, buildResponsesWs, buildRouting, dispatcherOptions } from './engine-composition';
import { NO_IP_RULES, nextIpRules, watchConfig, type CompositionBase, type PersistenceFlags } from './engine-composition';
import { StartupLoads } from './engine-startup';
import { deferredUsage, type DeferredUsage } from './engine-usage';
import { StateStores } from './engine-state-stores';
import { buildPipelineDeps } from './engine-pipeline';

export type { EngineState } from '../../src-shared/domain/status';

export interface EngineOptions {
  config: ConfigStore;
  dataDir: string;
  logger?: Logger;
  /**
   * Where tokens live when the config does not say. Default `shared` (CLI, headless and desktop
   * alike): auth files, plus accounts an earlier desktop version kept in the OS keychain.
   */
  defaultSecretStore?: 'keychain' | 'file' | 'shared';
  /** Extra observers (usage recorder, quota book, request log). */
  observers?: PipelineObserver[];
  /** Signed-in accounts' secrets from this store instead of the configured one (tests). */
  secretStore?: SecretStore;
}

/**
 * The proxy engine: config, accounts, routing and the HTTP server, with no Electron in sight.
 * The desktop shell and the headless CLI both drive this class. The parts are built in
 * `engine-composition.ts`, the listener lives in `engine-lifecycle.ts`, secrets and the
 * request observer in `engine-credentials.ts`.
 */
export class Engine {
  readonly config: ConfigStore;
  readonly logger: Logger;
  readonly dispatchers: DispatcherPool;
  private keyed: KeyedAccount[] = [];
  /** `allowed-ips` / `trusted-proxies`, checked before anything else reads the request. */
  private ipRules?: IpRules;
  private keyById = new Map<string, string>();
  readonly routing: Routing;
  private accountList: Account[] = [];
  /** Accounts and cooldowns load once the port is bound (requests wait for them: `warm`). */
  private readonly loads = new StartupLoads();
  registry?: AccountRegistry; // signed-in (OAuth) accounts, ready after `ready()`
  tokens?: TokenCache;
  private accountsReady?: Promise<void>;
  private stopAccountWatch?: () => void;
  private observers: PipelineObserver[];
  private readonly listener: EngineListener;
  /** Responses over WebSocket (`GET /v1/responses` upgrades). */
  private readonly responsesWs: ResponsesWebSocketService;
  state: EngineState = 'stopped';
  private readonly flags: PersistenceFlags = { usage: false, cooldowns: false, quota: false };
  private readonly stateDb: StateStores; // state.db, opened after start-up
  /** Each account's models as its upstream lists them (cached in the data dir). */
  readonly models: ModelDiscovery;
  /** Live quota windows per account (traffic headers + budgeted polling). */
  readonly quota: QuotaService;
  /** The request history, opened after start-up (see engine-usage.ts); undefined when usage-sqlite is off. */
  private readonly usageHistory?: DeferredUsage;
  /** `request` (RequestRecord) after every client request; `state` on start/stop. */
  readonly events: EngineEvents = new EventEmitter();
  /** The last requests, newest last, for the live log. */
  readonly recentRequests: RequestRecord[] = [];
  private readonly managementExtras = expressRouter(); // routers behind the management key
  /** The shared PostgreSQL store when `store.driver: postgres` (team server), else undefined. */
  readonly team?: TeamStore;
  private readonly publicExtras = expressRouter(); // outside the client-key check (/ui/, OAuth sinks)
  private readonly secrets: SecretSources = { tokens: () => this.tokens, registry: () => this.registry, keyById: () => this.keyById };
  private readonly credentials: CredentialSource = createCredentialSource(this.secrets);
  private readonly observer: PipelineObserver;

  constructor(private readonly opts: EngineOptions) {
    this.config = opts.config;
    secureDataDir(opts.dataDir);
    this.logger = opts.logger ?? createLogger({ level: opts.config.current.debug ? 'debug' : 'info' });
    this.dispatchers = new DispatcherPool(dispatcherOptions(this.config.current));
    this.observers = [...(opts.observers ?? [])];
    // kimi-cli's device id is one per install: read (or create) it before any Kimi call.
    loadKimiDeviceId(opts.dataDir);
    this.team = openTeamStore(this.config.current, this.logger);
    const { config, logger, credentials, dispatchers } = this;
    const base: CompositionBase = { config, logger, dataDir: opts.dataDir, persistence: this.flags, accounts: () => this.accountList, credentials, dispatchers };
    this.models = buildModels(base);
    this.applyConfig(this.config.current);
    this.stateDb = new StateStores(base, this.team);
    this.routing = buildRouting(base, this.models, this.team?.cooldowns ?? this.stateDb.cooldowns, (a) => credentialFingerprint(this.secrets, a));
    // Another instance benched an account: reload so this one stops using it too.
    this.team?.onCooldownsChanged(() => void this.routing.restore().catch(() => 0));
    this.usageHistory = deferredUsage(base, this.loads);
    this.quota = buildQuota(base, this.usageHistory && (() => this.usage), () => this.tokens);
    // state.db opens and the cooldowns come back once the port is bound (requests wait for them).
    const restored = this.loads.after(() => (this.stateDb.open(this.quota), this.routing.restore())).catch(() => 0);
    this.observers.unshift(this.quota.observer);
    const sinks = { logger: this.logger, observers: this.observers, usage: () => this.usageHistory, team: this.team, events: this.events };
    this.observer = createEngineObserver({ ...sinks, recentRequests: this.recentRequests });
    this.team?.quota.start(this.quota.book, () => this.accountList);
    // The management API keeps its own spelling of the status (`needs-login`).
    const status = (a: Account) => managementAccountStatus(this.accountStatus(a));
    this.addManagementRoutes(quotaRoutes({ accounts: () => this.accountList, status, quota: this.quota, routing: this.routing }));
    this.addManagementRoutes(usageRoutes(() => this.usage));
    watchConfig(base, {
      apply: (next) => {
        this.applyConfig(next);
        this.quota.reconfigure(next);
        this.usageHistory?.opened()?.setRetention(next['usage-retention-days']);
      },
      boundHost: () => this.listening?.host,
    });
    const parts = { ...base, pipeline: () => this.pipelineDeps(), address: () => this.listening, managementExtras: this.managementExtras, publicExtras: this.publicExtras };
    this.responsesWs = buildResponsesWs(parts);
    this.buildRoutes = () => buildApp(parts, this.responsesWs);
    this.listener = buildListener({
      ...base,
      // Before a request is served (after the port opens): cooldowns restored, accounts and cached model lists loaded, routes built.
      warm: async () => void (this.loads.now(), await Promise.all([restored, this.ready(), this.models.load(), this.app])),
      ipRules: () => this.ipRules ?? NO_IP_RULES,
      app: () => this.app,
      responsesWs: this.responsesWs,
      quota: this.quota,
      models: this.models,
      onState: (s) => void ((this.state = s), this.events.emit('state', s)),
    });
  }

  /** Express with the routes: built after the port opens (in `warm`), or by whoever asks first. */
  get app(): Express {
    return (this.routes ??= this.buildRoutes());
  }
  private routes?: Express;
  private readonly buildRoutes: () => Express;

  private applyConfig(cfg: SwitchyardConfig): void {
    this.ipRules = nextIpRules(cfg, this.ipRules, this.logger);
    this.keyed = accountsFromConfig(cfg);
    this.keyById = new Map(this.keyed.map((k) => [k.account.id, k.apiKey]));
    this.rebuildAccounts();
    this.dispatchers.reconfigure(dispatcherOptions(cfg));
  }

  /** Recompute the routable account list (config key entries + signed-in accounts). */
  private rebuildAccounts(): void {
    const oauth = this.registry?.accounts() ?? [];
    this.accountList = [...this.keyed.map((k) => k.account), ...oauth.map((a, i) => ({ ...a, order: this.keyed.length + i }))];
    // New sign-ins and key entries learn their models from their upstream's list.
    if (this.state === 'running') this.models?.sync();
  }

  /** Load signed-in accounts (secret store, registry, token refresh), once loads may begin. Idempotent. */
  ready(): Promise<void> {
    const { config, logger, team } = this;
    const o = { config, logger, team, dataDir: this.opts.dataDir, defaultStore: this.opts.defaultSecretStore ?? 'shared', store: this.opts.secretStore, onChange: () => this.rebuildAccounts() } as const;
    this.accountsReady ??= this.loads.after(async () => {
      this.stopAccountWatch = await loadSignedIn(o, (s) => {
        ({ registry: this.registry, tokens: this.tokens } = s);
        this.rebuildAccounts();
      });
    });
    return this.accountsReady;
  }

  /** Durable request history, opened now if it has not yet (undefined: usage-sqlite off, or it could not open). */
  get usage(): UsageRecorder | undefined {
    return this.usageHistory?.get();
  }

  /** Which stores persist to disk; false = that store could not open and runs from memory. */
  get persistence(): PersistenceFlags {
    this.stateDb.open(this.quota); // an answer about a store needs it opened
    this.usageHistory?.get();
    return this.flags;
  }

  /** active | cooling | disabled | needs-sign-in, as lists and meters show it. */
  accountStatus(a: Account): EngineAccountStatus {
    return accountStatusOf(a, this.routing);
  }

  /** Accounts that come from config key entries. */
  keyedAccounts(): Account[] {
    return this.keyed.map((k) => k.account);
  }

  keyedAccount(id: string): KeyedAccount | undefined {
    return this.keyed.find((k) => k.account.id === id);
  }

  /** A fresh credential for an account (key, or OAuth token from the cache). */
  credentialFor(account: Account): Promise<string> {
    return this.credentials.get(account);
  }

  /** The API key of a key account (for masking in UIs; never sent anywhere but its upstream). */
  apiKeyOf(id: string): string | undefined {
    return this.keyById.get(id);
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** Every usage record as it is written (request log, live charts). Returns unsubscribe. */
  onUsageRecord(cb: (r: UsageRecord) => void): () => void {
    this.events.on('usage', cb);
    return () => this.events.off('usage', cb);
  }

  /** Every account the engine can route to right now (same array until something changes). */
  accounts(): readonly Account[] {
    return this.accountList;
  }

  /** Mount a router that needs no client key (static panel, callbacks). */
  addPublicRoutes(path: string, router: Router | RequestHandler): void {
    this.publicExtras.use(path, router);
  }

  /** Mount a router under /v0/management (behind the key check). */
  addManagementRoutes(router: Router): void {
    this.managementExtras.use(router);
  }

  addObserver(o: PipelineObserver): void {
    this.observers.push(o);
  }

  /** Built once; every field reads the live config. */
  pipelineDeps(): PipelineDeps {
    return (this.deps ??= buildPipelineDeps({ config: this.config, routing: this.routing, credentials: this.credentials, dispatchers: this.dispatchers, observer: this.observer }));
  }
  private deps?: PipelineDeps;

  get listening(): Address | undefined {
    return this.listener?.listening;
  }

  /** Bind and serve; single-flight (see `EngineListener.start`). Rejects with EADDRINUSE etc. */
  start(overrides: Partial<Address> = {}): Promise<Address> {
    return this.listener.start(overrides);
  }

  /** Stop accepting, let in-flight requests finish for up to `graceMs`, then cut them. */
  stop(graceMs = 10_000): Promise<void> {
    return this.listener.stop(graceMs);
  }

  /** Stop and release everything (dispatchers, watchers). */
  async close(graceMs = 10_000): Promise<void> {
    await this.stop(graceMs);
    this.loads.cancel();
    // A close racing the account load waits for it: otherwise the account watcher and the refresh
    // loop would start after they were stopped, and keep the process (and the data dir) busy.
    await this.accountsReady?.catch(() => undefined);
    this.config.close();
    await this.quota.close().catch(() => undefined);
    await this.models.close().catch(() => undefined);
    this.tokens?.stop();
    this.stopAccountWatch?.();
    this.usageHistory?.close();
    await this.routing.flush().catch(() => undefined);
    await this.team?.close();
    await this.dispatchers.close();
  }

  /** Providers known to this build (for UIs and the CLI). */
  static providers() {
    return providers;
  }
}
