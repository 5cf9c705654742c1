import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type express from 'express';
import { Router as expressRouter } from 'express';
import type { Express } from 'express';
import type { SwitchyardConfig } from '../../src-shared/config/schema';
import type { ConfigStore } from './config/store';
import { isLoopbackHost, listenIssue } from './config/load';
import { createLogger, type Logger } from './log/logger';
import { protocols } from './protocols';
import { providerFor, providers } from './providers';
import { accountsFromConfig, type KeyedAccount } from './providers/config-accounts';
import type { Account } from './providers/provider';
import { DispatcherPool, type DispatcherOptions } from './upstream/dispatchers';
import { createApp } from './server/app';
import { createHttpServer } from './server/http-server';
import { managementRouter } from './management';
import { usageRoutes } from './management/usage-routes';
import { quotaRoutes } from './management/quota-routes';
import { UsageRecorder, usageFromRequestRecord, type UsageRecord } from './usage';
import { resolveDataPath, secureDataDir } from './config/paths';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { Routing, SqliteCooldownStore } from './routing';
import { QuotaService } from './quota';
import { QuotaStore } from './quota/store';
import { mediaRoutes } from './media';
import { ResponsesWebSocketService } from './server/responses-websocket';
import { openAccounts, watchAccounts, type AccountRegistry, type TokenCache } from './accounts';
import type { PipelineDeps } from './pipeline/generate';
import { limitsFromConfig } from './pipeline/limits';
import type { CredentialSource, PipelineObserver, RequestRecord } from './pipeline/types';
import { loadKimiDeviceId } from './providers/kimi/identity';
import { openTeamStore, type TeamStore } from './team';
import { compileIpRules, type IpRules } from './team/ops/ip-allowlist';
import { wireForUnmatchedPath } from './server/route-table';
import { ModelDiscovery } from './models/discovery';
import { createModelListFetch } from './models/http';
import { builtinInfo } from './models/builtin-catalog';

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
}

export type EngineState = 'stopped' | 'starting' | 'running' | 'stopping' | 'error';

function dispatcherOptions(cfg: SwitchyardConfig): DispatcherOptions {
  return {
    connectTimeoutMs: cfg['connect-timeout-seconds'] * 1000,
    headersTimeoutMs: cfg['request-timeout-seconds'] * 1000,
    bodyTimeoutMs: cfg['request-timeout-seconds'] * 1000,
  };
}

/**
 * The proxy engine: config, accounts, routing and the HTTP server, with no Electron in sight.
 * The desktop shell and the headless CLI both drive this class.
 */
export class Engine {
  readonly config: ConfigStore;
  readonly logger: Logger;
  readonly dispatchers: DispatcherPool;
  readonly app: Express;
  private keyed: KeyedAccount[] = [];
  /** `allowed-ips` / `trusted-proxies`, checked before anything else reads the request. */
  private ipRules: IpRules = compileIpRules([], []);
  private ipRulesLoaded = false;
  private keyById = new Map<string, string>();
  readonly routing: Routing;
  private accountList: Account[] = [];
  private restored?: Promise<unknown>;
  /** Signed-in (OAuth) accounts and their token cache; ready after `ready()`. */
  registry?: AccountRegistry;
  tokens?: TokenCache;
  private accountsReady?: Promise<void>;
  private stopAccountWatch?: () => void;
  private server?: http.Server;
  private sockets = new Set<Socket>();
  private observers: PipelineObserver[];
  private address?: { host: string; port: number };
  /** Responses over WebSocket (`GET /v1/responses` upgrades). */
  private readonly responsesWs: ResponsesWebSocketService;
  state: EngineState = 'stopped';
  /** The start in flight: concurrent starts share it (one listener, one result). */
  private starting?: Promise<{ host: string; port: number }>;
  /** Which stores persist to disk; false = that store could not open and runs from memory. */
  readonly persistence: { usage: boolean; cooldowns: boolean; quota: boolean } = { usage: false, cooldowns: false, quota: false };
  /** Each account's models as its upstream lists them (cached in the data dir). */
  readonly models: ModelDiscovery;
  /** Live quota windows per account (traffic headers + budgeted polling). */
  readonly quota: QuotaService;
  /** Durable request history (null when usage-sqlite.enable is false). */
  usage?: UsageRecorder;
  /** `request` (RequestRecord) after every client request; `state` on start/stop. */
  readonly events = new EventEmitter<{ request: [RequestRecord]; usage: [UsageRecord]; state: [EngineState] }>();
  /** The last requests, newest last, for the live log. */
  readonly recentRequests: RequestRecord[] = [];
  /** Routers added behind the management key by the modules that own them. */
  private readonly managementExtras = expressRouter();
  /** The shared PostgreSQL store when `store.driver: postgres` (team server), else undefined. */
  readonly team?: TeamStore;
  /** Routes outside the client-key check (the /ui/ panel, OAuth callback sinks). */
  private readonly publicExtras = expressRouter();

  constructor(private readonly opts: EngineOptions) {
    this.config = opts.config;
    secureDataDir(opts.dataDir);
    this.logger = opts.logger ?? createLogger({ level: opts.config.current.debug ? 'debug' : 'info' });
    this.dispatchers = new DispatcherPool(dispatcherOptions(this.config.current));
    this.observers = [...(opts.observers ?? [])];
    // kimi-cli's device id is one per install: read (or create) it before any Kimi call.
    loadKimiDeviceId(opts.dataDir);
    this.team = openTeamStore(this.config.current, this.logger);
    this.models = new ModelDiscovery({
      dataDir: opts.dataDir,
      accounts: () => this.accountList,
      credential: (a) => this.credentials.get(a),
      fetch: createModelListFetch({ hostOverrides: () => this.config.current['host-overrides'], dispatcherFor: (a) => this.dispatchers.get(a.proxyUrl) }),
      onError: (a, err) => this.logger.debug('model list read failed; keeping the last good one', { account: a.id, error: err.message }),
    });
    this.applyConfig(this.config.current);
    const models = this.models;
    this.routing = new Routing({
      accounts: () => this.accountList,
      config: () => this.config.current,
      defaultModels: (a) => providerFor(a.provider).defaultModels,
      models: {
        discovered: (a) => models.listFor(a.id)?.models.map((m) => m.id),
        // What the upstream said wins; the catalog fills in what it did not say.
        info: (a, id) => {
          const known = builtinInfo(a.provider, id);
          const listed = models.infoFor(a.id, id);
          if (!listed || !known) return listed ?? known;
          const capabilities = known.capabilities || listed.capabilities ? { ...known.capabilities, ...listed.capabilities } : undefined;
          return capabilities ? { ...known, ...listed, capabilities } : { ...known, ...listed };
        },
        generation: () => models.generation(),
      },
      store: this.team?.cooldowns ?? this.openStore('cooldowns', this.statePath, () => new SqliteCooldownStore(this.statePath)),
      onError: (err) => this.logger.error('cooldown persistence failed', { error: (err as Error).message }),
      credentialFingerprint: (a) => this.credentialFingerprint(a),
    });
    this.restored = this.routing.restore().catch(() => 0);
    // Another instance benched an account: reload so this one stops using it too.
    this.team?.onCooldownsChanged(() => void this.routing.restore().catch(() => 0));
    this.usage = this.openUsage(this.config.current);
    this.usage?.setRetention(this.config.current['usage-retention-days']);
    this.quota = new QuotaService({
      store: this.openStore('quota', this.statePath, () => new QuotaStore(this.statePath)),
      config: this.config.current,
      accounts: () => this.accountList,
      // Pollers of account APIs that take another secret (Copilot: the GitHub token) ask for it by use.
      credential: (a, use) => (use === 'account-api' && a.kind === 'oauth' && this.tokens ? this.tokens.getCredential(a.id, use) : this.credentials.get(a)),
      dispatcherFor: (a) => this.dispatchers.get(a.proxyUrl),
      localCounter: this.usage,
      onPollError: (a, err) => this.logger.debug('quota poll failed', { account: a.id, error: (err as Error).message }),
    });
    this.observers.unshift(this.quota.observer);
    this.team?.quota.start(this.quota.book, () => this.accountList);
    this.addManagementRoutes(
      quotaRoutes({ accounts: () => this.accountList, status: (a) => this.accountStatus(a), quota: this.quota, routing: this.routing }),
    );
    this.addManagementRoutes(usageRoutes(() => this.usage));
    this.config.on('change', (next) => {
      this.applyConfig(next);
      this.quota.reconfigure(next);
      this.usage?.setRetention(next['usage-retention-days']);
      this.logger.info('config reloaded', { file: this.config.file });
    });
    // The key rule follows the address actually bound: a reload or edit must not open it up.
    this.config.addGuard((next) => listenIssue(this.address?.host, next));
    this.config.on('invalid', (err) => this.logger.error('config edit rejected; the last good config keeps serving', { error: err.message }));
    this.config.on('warning', (warning) => this.logger.warn('config', { warning }));
    this.responsesWs = new ResponsesWebSocketService({
      pipeline: () => this.pipelineDeps(),
      protocol: protocols['openai-responses'],
      bodyLimitBytes: () => this.config.current['body-limit-mb'] * 1024 * 1024,
      logger: this.logger,
    });
    this.app = createApp({
      logger: this.logger,
      protocols,
      bodyLimitBytes: () => this.config.current['body-limit-mb'] * 1024 * 1024,
      pipeline: () => this.pipelineDeps(),
      apiRouters: [mediaRoutes({ pipeline: () => this.pipelineDeps(), uploadLimitBytes: () => this.config.current['upload-limit-mb'] * 1024 * 1024 }), this.responsesWs.router],
      mounts: [
        { path: '/v0/management', router: managementRouter({ config: this.config, extra: [this.managementExtras] }) },
        { path: '/', router: this.publicExtras },
      ],
      settings: () => {
        const c = this.config.current;
        return {
          apiKeys: c['api-keys'],
          allowedOrigins: c['allowed-origins'],
          bindHost: this.address?.host ?? c.host,
          port: this.address?.port ?? c.port,
          loopbackBind: isLoopbackHost(this.address?.host ?? c.host),
        };
      },
    });
  }

  private get statePath(): string {
    return path.join(this.opts.dataDir, 'state.db');
  }

  /**
   * Every store opens the same way: a file that cannot be opened (unreadable, not SQLite, a
   * folder in its place) is logged once and the engine carries on from memory, with the status
   * saying which persistence is off.
   */
  private openStore<T>(store: keyof Engine['persistence'], file: string, open: () => T): T | undefined {
    try {
      const opened = open();
      this.persistence[store] = true;
      return opened;
    } catch (err) {
      this.logger.error('persistence off', { store, file, error: (err as Error).message });
      return undefined;
    }
  }

  private openUsage(cfg: SwitchyardConfig): UsageRecorder | undefined {
    if (!cfg['usage-sqlite'].enable) return undefined;
    const dbPath = cfg['usage-sqlite']['db-path'] ? resolveDataPath(cfg['usage-sqlite']['db-path']) : path.join(this.opts.dataDir, 'usage.db');
    return this.openStore('usage', dbPath, () => {
      const recorder: UsageRecorder = new UsageRecorder({
        dbPath,
        // Says what happens to the records: kept in memory and retried, or (queue full) dropped.
        onError: (err) =>
          this.logger.error('usage history write failed; records are kept in memory and written when the database accepts them', {
            dbPath,
            error: (err as Error).message,
            pending: recorder.pending(),
            dropped: recorder.dropped,
          }),
      });
      return recorder;
    });
  }

  private setState(s: EngineState): void {
    this.state = s;
    this.events.emit('state', s);
  }

  private applyConfig(cfg: SwitchyardConfig): void {
    try {
      this.ipRules = compileIpRules(cfg['allowed-ips'], cfg['trusted-proxies']);
      this.ipRulesLoaded = true;
    } catch (err) {
      // The last good rules keep guarding; a typo must not open the server (nor start it).
      if (!this.ipRulesLoaded) throw err;
      this.logger.error('allowed-ips / trusted-proxies rejected; the previous rules stay', { error: (err as Error).message });
    }
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

  /** Load signed-in accounts (secret store, registry, token refresh). Idempotent. */
  ready(): Promise<void> {
    this.accountsReady ??= (async () => {
      try {
        const { registry, tokens } = await openAccounts({
          config: this.config.current,
          dataDir: this.opts.dataDir,
          hostOverrides: () => this.config.current['host-overrides'],
          defaultStore: this.opts.defaultSecretStore ?? 'shared',
          store: this.team?.secrets,
          coordinator: this.team?.coordinator,
          meta: this.team?.accountMeta,
        });
        // A token refreshed (or an account added) by another instance: pick it up at once.
        this.team?.onSecretsChanged(() => void registry.load().catch((err: Error) => this.logger.warn('account reload', { error: err.message })));
        this.registry = registry;
        this.tokens = tokens;
        for (const p of registry.problems()) this.logger.warn('account problem', { problem: p });
        registry.on('change', () => this.rebuildAccounts());
        registry.on('store-error', (problem: string) => this.logger.error('account secret not saved', { problem }));
        this.rebuildAccounts();
        tokens.start();
        // Accounts added by `switchyard login` / `import` in another process show up here.
        this.stopAccountWatch = watchAccounts(registry, { onError: (err) => this.logger.warn('account watch', { error: err.message }) });
      } catch (err) {
        this.logger.error('signed-in accounts unavailable', { error: (err as Error).message });
      }
    })();
    return this.accountsReady;
  }

  /**
   * A hash of what the account authenticates with (key and entry settings, or the access token),
   * so routing lifts a rejected-credential block as soon as it changes. Never the secret itself.
   */
  private credentialFingerprint(a: Account): string | undefined {
    const secret = a.kind === 'oauth' ? this.registry?.tokens(a.id)?.accessToken : this.keyById.get(a.id);
    if (secret === undefined) return undefined;
    return createHash('sha256').update(`${secret}\u0000${JSON.stringify(a.headers ?? {})}\u0000${a.proxyUrl ?? ''}`).digest('hex').slice(0, 16);
  }

  /** active | cooling | disabled | needs-login, as lists and meters show it. */
  accountStatus(a: Account): 'active' | 'cooling' | 'disabled' | 'needs-login' {
    if (a.disabled) return 'disabled';
    if (a.meta.needsLogin === true) return 'needs-login';
    // A rejected credential (needs sign-in / invalid key) is not a cooldown.
    if (this.routing.authBlock(a)) return 'needs-login';
    // Cooling for any model counts: the account is not at full strength.
    return this.routing.cooldownsFor(a.id).length > 0 ? 'cooling' : 'active';
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
  addPublicRoutes(path: string, router: express.Router | express.RequestHandler): void {
    this.publicExtras.use(path, router);
  }

  /** Mount a router under /v0/management (behind the key check). */
  addManagementRoutes(router: express.Router): void {
    this.managementExtras.use(router);
  }

  addObserver(o: PipelineObserver): void {
    this.observers.push(o);
  }

  private readonly credentials: CredentialSource = {
    get: async (account) => {
      if (account.kind === 'oauth' && this.tokens) return this.tokens.getCredential(account.id);
      const key = this.keyById.get(account.id);
      if (key === undefined) throw new Error(`no credential for account ${account.id}`);
      return key;
    },
    refreshAfterUnauthorized: async (account) => (account.kind === 'oauth' && this.tokens ? this.tokens.onUnauthorized(account.id) : false),
  };

  private readonly observer: PipelineObserver = {
    onUpstreamHeaders: (a, s, h) => this.observers.forEach((o) => o.onUpstreamHeaders?.(a, s, h)),
    onUpstreamError: (a, s, b) => this.observers.forEach((o) => o.onUpstreamError?.(a, s, b)),
    onRequestDone: (r: RequestRecord) => {
      this.logger.debug('request', { id: r.requestId, model: r.requestedModel, status: r.status, ms: Math.round(r.latencyMs) });
      // Converted once per request, shared by the history and the live log.
      const u = usageFromRequestRecord(r);
      this.usage?.record(u);
      this.team?.usage.record(u);
      this.events.emit('usage', u);
      this.recentRequests.push(r);
      if (this.recentRequests.length > 500) this.recentRequests.splice(0, this.recentRequests.length - 500);
      this.events.emit('request', r);
      this.observers.forEach((o) => o.onRequestDone?.(r));
    },
  };

  pipelineDeps(): PipelineDeps {
    return {
      routing: this.routing,
      credentials: this.credentials,
      dispatchers: this.dispatchers,
      hostOverrides: () => this.config.current['host-overrides'],
      protocols,
      providers: (id) => providerFor(id),
      observer: this.observer,
      limits: () => limitsFromConfig(this.config.current),
    };
  }

  get listening(): { host: string; port: number } | undefined {
    return this.address;
  }

  /**
   * Bind and serve. Rejects with EADDRINUSE etc. (state becomes `error`). Single-flight: a
   * start while one is in flight (app launch and the tray's Start while the keychain loads)
   * gets the same listener, never a second one.
   */
  start(overrides: { host?: string; port?: number } = {}): Promise<{ host: string; port: number }> {
    if (this.server && this.address) return Promise.resolve(this.address);
    this.starting ??= this.listen(overrides).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async listen(overrides: { host?: string; port?: number }): Promise<{ host: string; port: number }> {
    // The cached model lists load before the first request; fresh ones are read in the background.
    await Promise.all([this.restored, this.ready(), this.models.load()]);
    const cfg = this.config.current;
    const host = overrides.host ?? cfg.host;
    const port = overrides.port ?? cfg.port;
    if (!isLoopbackHost(host) && cfg['api-keys'].length === 0) {
      throw new Error(`Refusing to listen on ${host}: it is not a loopback address and no api-keys are configured.`);
    }
    this.setState('starting');
    const server = createHttpServer(
      (req, res) => {
        // allowed-ips first: a refused address learns nothing else about this server.
        const refusal = this.ipRules.check(req.socket.remoteAddress, req.headers['x-forwarded-for']);
        if (refusal === undefined) return this.app(req, res);
        const protocol = protocols[wireForUnmatchedPath(new URL(req.url ?? '/', 'http://x').pathname)];
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify(protocol.encodeError({ status: 403, kind: 'permission', message: refusal })));
      },
      { limits: () => this.config.current['client-timeouts'], protocols },
    );
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.responsesWs.attach(server);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.setState('error');
      throw err;
    }
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.address = { host, port: addr.port };
    this.setState('running');
    this.quota.start();
    this.models.sync();
    this.models.scheduleRefresh();
    return this.address;
  }

  /** Stop accepting, let in-flight requests finish for up to `graceMs`, then cut them. */
  async stop(graceMs = 10_000): Promise<void> {
    // A start in flight would bind after we looked: let it finish, then stop what it opened.
    if (this.starting) await this.starting.catch(() => undefined);
    const server = this.server;
    if (!server) return;
    this.setState('stopping');
    this.server = undefined;
    this.responsesWs.closeAll();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
    this.address = undefined;
    this.setState('stopped');
  }

  /** Stop and release everything (dispatchers, watchers). */
  async close(graceMs = 10_000): Promise<void> {
    await this.stop(graceMs);
    // A close racing the account load waits for it: otherwise the account watcher and the refresh
    // loop would start after they were stopped, and keep the process (and the data dir) busy.
    await this.accountsReady?.catch(() => undefined);
    this.config.close();
    await this.quota.close().catch(() => undefined);
    await this.models.close().catch(() => undefined);
    this.tokens?.stop();
    this.stopAccountWatch?.();
    this.usage?.close();
    await this.routing.flush().catch(() => undefined);
    await this.team?.close();
    await this.dispatchers.close();
  }

  /** Providers known to this build (for UIs and the CLI). */
  static providers() {
    return providers;
  }
}
