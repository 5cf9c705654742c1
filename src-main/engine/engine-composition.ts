import path from 'node:path';
import type express from 'express';
import type { Express } from 'express';
import type http from 'node:http';
import type { EngineState } from '../../src-shared/domain/status';
import type { SwitchyardConfig } from '../../src-shared/config/schema';
import type { ConfigStore } from './config/store';
import { isLoopbackHost, listenIssue } from './config/load';
import { resolveDataPath } from './config/paths';
import type { Logger } from './log/logger';
import { protocols } from './protocols';
import { providerFor } from './providers';
import type { Account } from './providers/provider';
import type { DispatcherOptions, DispatcherPool } from './upstream/dispatchers';
import { createApp } from './server/app';
import { createHttpServer } from './server/http-server';
import { wireForUnmatchedPath } from './server/route-table';
import { managementRouter } from './management';
import { UsageRecorder } from './usage';
import { Routing, type CooldownStore } from './routing';
import { QuotaService } from './quota';
import { mediaRoutes } from './media';
import { ResponsesWebSocketService } from './server/responses-websocket';
import type { PipelineDeps } from './pipeline/generate';
import type { CredentialSource } from './pipeline/types';
import type { TokenCache } from './accounts';
import { compileIpRules, type IpRules } from './team/ops/ip-allowlist';
import { ModelDiscovery } from './models/discovery';
import { createModelListFetch } from './models/http';
import { builtinInfo } from './models/builtin-catalog';
import { EngineListener, type Address, type ServingGate } from './engine-lifecycle';

/** Which stores persist to disk; false = that store could not open and runs from memory. */
export type PersistenceFlags = { usage: boolean; cooldowns: boolean; quota: boolean };

export function dispatcherOptions(cfg: SwitchyardConfig): DispatcherOptions {
  return {
    connectTimeoutMs: cfg['connect-timeout-seconds'] * 1000,
    headersTimeoutMs: cfg['request-timeout-seconds'] * 1000,
    bodyTimeoutMs: cfg['request-timeout-seconds'] * 1000,
  };
}

/** What the builders below share: the live config, logging, and where stores live. */
export interface CompositionBase {
  config: ConfigStore;
  logger: Logger;
  dataDir: string;
  persistence: PersistenceFlags;
  /** The routable accounts (the engine's own array, not a copy). */
  accounts: () => Account[];
  credentials: CredentialSource;
  dispatchers: DispatcherPool;
}

export function statePath(dataDir: string): string {
  return path.join(dataDir, 'state.db');
}

/**
 * Every store opens the same way: a file that cannot be opened (unreadable, not SQLite, a
 * folder in its place) is logged once and the engine carries on from memory, with the status
 * saying which persistence is off.
 */
export function openStore<T>(b: Pick<CompositionBase, 'logger' | 'persistence'>, store: keyof PersistenceFlags, file: string, open: () => T): T | undefined {
  try {
    const opened = open();
    b.persistence[store] = true;
    return opened;
  } catch (err) {
    b.logger.error('persistence off', { store, file, error: (err as Error).message });
    return undefined;
  }
}

export function openUsage(b: CompositionBase, cfg: SwitchyardConfig): UsageRecorder | undefined {
  if (!cfg['usage-sqlite'].enable) return undefined;
  const dbPath = cfg['usage-sqlite']['db-path'] ? resolveDataPath(cfg['usage-sqlite']['db-path']) : path.join(b.dataDir, 'usage.db');
  return openStore(b, 'usage', dbPath, () => {
    const recorder: UsageRecorder = new UsageRecorder({
      dbPath,
      // Says what happens to the records: kept in memory and retried, or (queue full) dropped.
      onError: (err) =>
        b.logger.error('usage history write failed; records are kept in memory and written when the database accepts them', {
          dbPath,
          error: (err as Error).message,
          pending: recorder.pending(),
          dropped: recorder.dropped,
        }),
      onWarning: (message) => b.logger.warn(message, { dbPath }),
    });
    return recorder;
  });
}

/** Config reloads apply to the engine; edits that would open the bound address are refused. */
export function watchConfig(b: Pick<CompositionBase, 'config' | 'logger'>, o: { apply: (next: SwitchyardConfig) => void; boundHost: () => string | undefined }): void {
  b.config.on('change', (next) => {
    o.apply(next);
    b.logger.info('config reloaded', { file: b.config.file });
  });
  // The key rule follows the address actually bound: a reload or edit must not open it up.
  b.config.addGuard((next) => listenIssue(o.boundHost(), next));
  b.config.on('invalid', (err) => b.logger.error('config edit rejected; the last good config keeps serving', { error: err.message }));
  b.config.on('warning', (warning) => b.logger.warn('config', { warning }));
}

export function buildModels(b: CompositionBase): ModelDiscovery {
  return new ModelDiscovery({
    dataDir: b.dataDir,
    accounts: b.accounts,
    credential: (a) => b.credentials.get(a),
    fetch: createModelListFetch({ hostOverrides: () => b.config.current['host-overrides'], dispatcherFor: (a) => b.dispatchers.get(a.proxyUrl) }),
    onError: (a, err) => b.logger.debug('model list read failed; keeping the last good one', { account: a.id, error: err.message }),
  });
}

export function buildRouting(b: CompositionBase, models: ModelDiscovery, store: CooldownStore | undefined, fingerprint: (a: Account) => string | undefined): Routing {
  return new Routing({
    accounts: b.accounts,
    config: () => b.config.current,
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
    store,
    onError: (err) => b.logger.error('cooldown persistence failed', { error: (err as Error).message }),
    credentialFingerprint: fingerprint,
  });
}

/** The quota service; its store (state.db) is attached after start-up (engine-state-stores.ts). */
export function buildQuota(b: CompositionBase, usage: (() => UsageRecorder | undefined) | undefined, tokens: () => TokenCache | undefined): QuotaService {
  return new QuotaService({
    config: b.config.current,
    accounts: b.accounts,
    // Pollers of account APIs that take another secret (Copilot: the GitHub token) ask for it by use.
    credential: (a, use) => {
      const cache = tokens();
      return use === 'account-api' && a.kind === 'oauth' && cache ? cache.getCredential(a.id, use) : b.credentials.get(a);
    },
    dispatcherFor: (a) => b.dispatchers.get(a.proxyUrl),
    localCounter: usage,
    onPollError: (a, err) => b.logger.debug('quota poll failed', { account: a.id, error: (err as Error).message }),
  });
}

export interface AppParts {
  config: ConfigStore;
  logger: Logger;
  pipeline: () => PipelineDeps;
  /** The address actually bound (undefined while stopped). */
  address: () => Address | undefined;
  managementExtras: express.Router;
  publicExtras: express.Router;
}

export function buildResponsesWs(p: Pick<AppParts, 'config' | 'logger' | 'pipeline'>): ResponsesWebSocketService {
  return new ResponsesWebSocketService({
    pipeline: p.pipeline,
    protocol: protocols['openai-responses'],
    bodyLimitBytes: () => p.config.current['body-limit-mb'] * 1024 * 1024,
    logger: p.logger,
  });
}

export function buildApp(p: AppParts, responsesWs: ResponsesWebSocketService): Express {
  return createApp({
    logger: p.logger,
    protocols,
    bodyLimitBytes: () => p.config.current['body-limit-mb'] * 1024 * 1024,
    pipeline: p.pipeline,
    apiRouters: [mediaRoutes({ pipeline: p.pipeline, uploadLimitBytes: () => p.config.current['upload-limit-mb'] * 1024 * 1024 }), responsesWs.router],
    mounts: [
      { path: '/v0/management', router: managementRouter({ config: p.config, extra: [p.managementExtras] }) },
      { path: '/', router: p.publicExtras },
    ],
    settings: () => {
      const c = p.config.current;
      const bound = p.address();
      return {
        apiKeys: c['api-keys'],
        allowedOrigins: c['allowed-origins'],
        bindHost: bound?.host ?? c.host,
        port: bound?.port ?? c.port,
        loopbackBind: isLoopbackHost(bound?.host ?? c.host),
      };
    },
  });
}

/** Before the config is read nothing is refused (nothing listens yet either). */
export const NO_IP_RULES: IpRules = compileIpRules([], []);

/**
 * `allowed-ips` / `trusted-proxies` of a (re)loaded config. A typo keeps the last good rules
 * guarding (logged); on the first load it throws, so the engine never starts unguarded.
 */
export function nextIpRules(cfg: SwitchyardConfig, previous: IpRules | undefined, logger: Logger): IpRules {
  try {
    return compileIpRules(cfg['allowed-ips'], cfg['trusted-proxies']);
  } catch (err) {
    if (!previous) throw err;
    logger.error('allowed-ips / trusted-proxies rejected; the previous rules stay', { error: (err as Error).message });
    return previous;
  }
}

/**
 * The HTTP server in front of the app: allowed-ips first, then the routes. A request that arrives
 * while the engine is still loading what requests need (bound, not yet serving) waits for it.
 */
export function buildHttpServer(config: ConfigStore, ipRules: () => IpRules, app: () => Express, gate: ServingGate = () => undefined): http.Server {
  return createHttpServer(
    (req, res) => {
      // allowed-ips first: a refused address learns nothing else about this server.
      const refusal = ipRules().check(req.socket.remoteAddress, req.headers['x-forwarded-for']);
      if (refusal !== undefined) {
        const protocol = protocols[wireForUnmatchedPath(new URL(req.url ?? '/', 'http://x').pathname)];
        res.writeHead(403, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify(protocol.encodeError({ status: 403, kind: 'permission', message: refusal })));
      }
      const waiting = gate();
      if (waiting === undefined) return app()(req, res);
      // A start that fails after binding closes the listener: the held request goes with it.
      waiting.then(
        () => app()(req, res),
        () => req.socket.destroy(),
      );
    },
    { limits: () => config.current['client-timeouts'], protocols },
  );
}

export interface ListenerParts extends Pick<CompositionBase, 'config'> {
  /** Restore stores, load accounts and cached model lists: after binding, before the first request is served. */
  warm: () => Promise<void>;
  ipRules: () => IpRules;
  /** The routes (built on first use: after the port opens). */
  app: () => Express;
  responsesWs: ResponsesWebSocketService;
  quota: QuotaService;
  models: ModelDiscovery;
  onState: (s: EngineState) => void;
}

/** The listener with the engine's hooks: what runs before binding, after it, and before closing. */
export function buildListener(p: ListenerParts): EngineListener {
  return new EngineListener({
    prepare: async (overrides) => {
      const cfg = p.config.current;
      const host = overrides.host ?? cfg.host;
      const port = overrides.port ?? cfg.port;
      if (!isLoopbackHost(host) && cfg['api-keys'].length === 0) {
        throw new Error(`Refusing to listen on ${host}: it is not a loopback address and no api-keys are configured.`);
      }
      return { host, port };
    },
    // The cached model lists load before the first request; fresh ones are read in the background.
    warm: p.warm,
    createServer: (gate) => {
      const server = buildHttpServer(p.config, p.ipRules, p.app, gate);
      p.responsesWs.attach(server);
      return server;
    },
    onState: p.onState,
    afterListen: () => {
      p.quota.start();
      p.models.sync();
      p.models.scheduleRefresh();
    },
    beforeClose: () => p.responsesWs.closeAll(),
  });
}
