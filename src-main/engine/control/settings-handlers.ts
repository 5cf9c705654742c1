import { ContractError, type Handlers } from '../../../src-shared/contract';
import type { ApiKeyInfo, Settings } from '../../../src-shared/domain';
import type { ControlDeps } from './context';
import { appendIn, deleteIn, setIn } from './config-edit';
import { maskSecret, shortHash } from './mappers';
import { isLoopbackHost } from '../config/load';

type SettingsHandlers = Pick<
  Handlers,
  'app:settings:get' | 'app:settings:update' | 'app:settings:api-key-generate' | 'app:settings:api-key-revoke' | 'app:settings:api-key-reveal'
>;

const DEFAULT_POLL_BUDGET = 12;

export function apiKeyId(key: string): string {
  return `key:${shortHash(key)}`;
}

/** Same label the request log uses for the key (engine/server/client-auth.ts), never the key itself. */
function apiKeyInfos(keys: readonly string[]): ApiKeyInfo[] {
  return keys.map((k, i) => ({ id: apiKeyId(k), label: `key #${i + 1}`, masked: maskSecret(k), createdAt: null }));
}

export function buildSettings(d: ControlDeps): Settings {
  const cfg = d.facade.config.current;
  const prefs = d.facade.prefs.get();
  const desktop = d.facade.mode === 'desktop';
  return {
    host: cfg.host,
    port: cfg.port,
    apiKeys: apiKeyInfos(cfg['api-keys']),
    routingStrategy: cfg.routing.strategy,
    requestRetry: cfg['request-retry'],
    maxRetryInterval: cfg['max-retry-interval'],
    maxRetryCredentials: cfg['max-retry-credentials'],
    disableCooling: cfg['disable-cooling'],
    launchAtLogin: desktop ? (prefs.launchAtLogin ?? false) : null,
    startProxyAtLaunch: desktop ? (prefs.startProxyAtLaunch ?? true) : null,
    quotaPolling: {
      enabled: cfg.quota['poll-budget-per-hour'] > 0,
      pollMinutes: cfg.quota['poll-minutes'],
      budgetPerHour: cfg.quota['poll-budget-per-hour'],
    },
    language: prefs.language,
    theme: prefs.theme,
    allowRemoteManagement: cfg['remote-management']['allow-remote'],
    configPath: d.facade.config.file || null,
  };
}

function findKey(d: ControlDeps, id: string): { key: string; index: number } {
  const keys = d.facade.config.current['api-keys'];
  const index = keys.findIndex((k) => apiKeyId(k) === id);
  if (index < 0) throw new ContractError('not-found', `no API key ${id}`);
  return { key: keys[index], index };
}

export function settingsHandlers(d: ControlDeps): SettingsHandlers {
  const f = d.facade;
  return {
    'app:settings:get': async () => buildSettings(d),
    'app:settings:update': async (p) => {
      if (f.mode !== 'desktop' && (p.launchAtLogin !== undefined || p.startProxyAtLaunch !== undefined)) {
        throw new ContractError('unsupported', 'launch settings exist only in the desktop app');
      }
      const cfg = f.config.current;
      const edits: Array<[Array<string>, unknown]> = [];
      const put = (path: string[], value: unknown, current: unknown) => {
        if (value !== undefined && value !== current) edits.push([path, value]);
      };
      put(['host'], p.host, cfg.host);
      put(['port'], p.port, cfg.port);
      put(['routing', 'strategy'], p.routingStrategy, cfg.routing.strategy);
      put(['request-retry'], p.requestRetry, cfg['request-retry']);
      put(['max-retry-interval'], p.maxRetryInterval, cfg['max-retry-interval']);
      put(['max-retry-credentials'], p.maxRetryCredentials, cfg['max-retry-credentials']);
      put(['disable-cooling'], p.disableCooling, cfg['disable-cooling']);
      if (p.quotaPolling) {
        const q = p.quotaPolling;
        put(['quota', 'poll-minutes'], q.pollMinutes, cfg.quota['poll-minutes']);
        // Polling off = a zero budget; turning it back on restores a sane budget.
        let budget = q.budgetPerHour;
        if (q.enabled === false) budget = 0;
        else if (q.enabled === true && (budget ?? cfg.quota['poll-budget-per-hour']) === 0) budget = DEFAULT_POLL_BUDGET;
        put(['quota', 'poll-budget-per-hour'], budget, cfg.quota['poll-budget-per-hour']);
      }
      const listenChanged = edits.some(([path]) => path[0] === 'host' || path[0] === 'port');
      if (edits.length) await f.config.update((doc) => edits.forEach(([path, value]) => setIn(doc, path, value)));
      const prefs: Parameters<typeof f.prefs.set>[0] = {};
      if (p.language) prefs.language = p.language;
      if (p.theme) prefs.theme = p.theme;
      if (p.launchAtLogin !== undefined) prefs.launchAtLogin = p.launchAtLogin;
      if (p.startProxyAtLaunch !== undefined) prefs.startProxyAtLaunch = p.startProxyAtLaunch;
      if (Object.keys(prefs).length) await f.prefs.set(prefs);
      const running = f.lifecycle.info().state === 'running';
      return { settings: buildSettings(d), restartRequired: listenChanged && running };
    },
    'app:settings:api-key-generate': async () => {
      const secret = d.newApiKey();
      await f.config.update((doc) => appendIn(doc, ['api-keys'], secret));
      const info = apiKeyInfos(f.config.current['api-keys']).find((k) => k.id === apiKeyId(secret));
      if (!info) throw new ContractError('internal', 'the key was written but did not load');
      return { key: info, secret };
    },
    'app:settings:api-key-revoke': async ({ id }) => {
      let removed = false;
      // Decided under the write lock, against the keys as they are then (concurrent revokes).
      await f.config.update((doc) => {
        const keys = f.config.current['api-keys'];
        const index = keys.findIndex((k) => apiKeyId(k) === id);
        if (index < 0) return;
        // Both the address actually bound and the one the file asks for count: either one
        // beyond loopback makes the last key the only thing between the network and the accounts.
        const info = f.lifecycle.info();
        const bound = info.state === 'running' || info.state === 'starting' ? info.host : undefined;
        const exposed = !isLoopbackHost(f.config.current.host) || (bound !== undefined && !isLoopbackHost(bound));
        if (exposed && keys.length === 1) throw new ContractError('conflict', 'the server listens beyond this machine; keep at least one key');
        deleteIn(doc, ['api-keys', index]);
        removed = true;
      });
      return { removed };
    },
    'app:settings:api-key-reveal': async ({ id }) => ({ secret: findKey(d, id).key }),
  };
}
