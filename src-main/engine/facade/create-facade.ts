import { offeredModels } from '../models/offered';
import { authFor, isOAuthProvider } from '../accounts';
import type { Engine } from '../engine';
import { providers } from '../providers';
import type { Account } from '../providers/provider';
import type { AccountView, EngineEvent, EngineFacade, LifecycleInfo, UsageAccess } from '../control/engine-facade';
import { accountStatusFromManagement } from '../../../src-shared/domain/accounts';
import { forwardQuotaAlerts } from './quota-alerts';
import type { AccountStatus, ProviderInfo } from '../../../src-shared/domain';
import { PrefsStore } from './prefs-store';
import { SignInFlows } from './sign-in-flows';
import { runTestPrompt } from './test-prompt';
import { testKeyEntry } from './key-test';

export interface FacadeOptions {
  mode: 'desktop' | 'headless';
  version: string;
  /** Opens the system browser for sign-ins (desktop); headless UIs open the URL themselves. */
  openUrl?: (url: string) => void | Promise<void>;
  /** Desktop-only preferences handled by the shell (login item). */
  onPrefsChanged?: (prefs: ReturnType<PrefsStore['get']>) => void | Promise<void>;
}

function mask(key: string): string {
  return key.length <= 8 ? '…' : `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/**
 * The engine as the UI contract's handlers see it (src-main/engine/control/engine-facade.ts):
 * thin adapters over the real modules, no secrets out.
 */
export function createEngineFacade(engine: Engine, opts: FacadeOptions): EngineFacade & { dispose(): void } {
  const listeners = new Set<(e: EngineEvent) => void>();
  const emit = (e: EngineEvent) => listeners.forEach((l) => l(e));
  const prefs = new PrefsStore(engine.dataDir, opts.mode);
  let startedAt: number | null = engine.listening ? Date.now() : null;
  let lastError: string | null = null;
  const flows = new SignInFlows({
    registry: () => engine.registry,
    hostOverrides: () => engine.config.current['host-overrides'],
    emit,
    openUrl: opts.openUrl,
    relay: engine.team?.signIns,
  });

  const offs: Array<() => void> = [];
  const on = <T extends unknown[]>(em: { on(ev: string, l: (...a: T) => void): unknown; off(ev: string, l: (...a: T) => void): unknown }, ev: string, l: (...a: T) => void) => {
    em.on(ev, l);
    offs.push(() => em.off(ev, l));
  };
  on(engine.events, 'state', () => emit({ type: 'state' }));
  on(engine.events, 'request', () => undefined);
  on(engine.config, 'change', () => emit({ type: 'settings' }));
  on(engine.quota.book, 'snapshot', (q: { accountId: string }) => emit({ type: 'quota', accountIds: [q.accountId] }));
  offs.push(forwardQuotaAlerts(engine, emit));
  void engine.ready().then(() => {
    if (engine.registry) on(engine.registry, 'change', () => emit({ type: 'accounts' }));
  });
  const offRequest = engine.onUsageRecord((record) => emit({ type: 'request', record }));
  offs.push(offRequest);

  const statusOf = (a: Account): AccountStatus => engine.accountStatus(a);

  const viewOf = (a: Account, forced?: AccountStatus): AccountView => {
    const q = engine.quota.book.get(a.id);
    const key = a.kind === 'api-key' ? engine.apiKeyOf(a.id) : undefined;
    const bench = engine.routing.cooldownsFor(a.id)[0];
    const cooling = bench?.until ?? null;
    const tokens = a.kind === 'oauth' ? engine.registry?.tokens(a.id) : undefined;
    return {
      account: a,
      status: forced ?? statusOf(a),
      coolingUntil: cooling,
      coolingReason: bench?.reason ?? null,
      expiresAt: tokens?.expiresAt ?? null,
      plan: q?.plan ?? null,
      lastError: q?.pollError ?? null,
      maskedKey: key ? mask(key) : null,
    };
  };

  const configPathOf = (id: string): Array<string | number> | undefined => engine.keyedAccount(id)?.configPath;

  const facade: EngineFacade & { dispose(): void } = {
    version: opts.version,
    mode: opts.mode,
    config: engine.config,
    lifecycle: {
      info(): LifecycleInfo {
        const l = engine.listening;
        const c = engine.config.current;
        return { state: engine.state, host: l?.host ?? c.host, port: l?.port ?? c.port, startedAt, error: lastError, persistence: { ...engine.persistence } };
      },
      async start() {
        try {
          await engine.start();
          startedAt = Date.now();
          lastError = null;
        } catch (err) {
          lastError = (err as Error).message;
          throw err;
        }
      },
      async stop() {
        if (opts.mode === 'headless') throw new Error('The headless server cannot stop itself from its own panel; stop the process instead.');
        await engine.stop();
        startedAt = null;
      },
      async restart() {
        if (opts.mode === 'headless') {
          // The panel asking is served by this listener: answer first, then rebind (a changed
          // port/host takes effect). If the new address cannot be bound, go back to the old one
          // so a headless server never ends up listening nowhere.
          const old = engine.listening;
          setTimeout(() => {
            void (async () => {
              await engine.stop(1000);
              try {
                await facade.lifecycle.start();
              } catch {
                if (old) await engine.start({ host: old.host, port: old.port }).catch(() => undefined);
              }
            })();
          }, 100);
          return;
        }
        await engine.stop();
        await facade.lifecycle.start();
      },
    },
    accounts: {
      list() {
        const keyed = engine.keyedAccounts().map((a) => viewOf(a, a.disabled ? 'disabled' : undefined));
        const reg = engine.registry;
        const oauth = reg
          ? reg.ids().flatMap((id) => {
              const a = reg.account(id);
              if (!a) return [];
              const s = accountStatusFromManagement(reg.status(id));
              return [viewOf(a, s === 'active' ? undefined : s)];
            })
          : [];
        return [...keyed, ...oauth];
      },
      async remove(id) {
        if (engine.registry?.account(id)) return engine.registry.remove(id);
        // Positions are looked up under the config write lock: a concurrent edit may shift them.
        let found = false;
        await engine.config.update((doc) => {
          const p = configPathOf(id);
          if (!p) return;
          doc.deleteIn(p);
          found = true;
        });
        return found;
      },
      async setEnabled(id, enabled) {
        if (engine.registry?.account(id)) {
          await engine.registry.update(id, { disabled: !enabled });
          return true;
        }
        let found = false;
        await engine.config.update((doc) => {
          const p = configPathOf(id);
          if (!p) return;
          doc.setIn([...p, 'disabled'], !enabled);
          found = true;
        });
        return found;
      },
      async update(id, patch) {
        if (engine.registry?.account(id)) {
          // null clears the prefix ('' is "no prefix" to routing); undefined leaves a field as it is.
          await engine.registry.update(id, { priority: patch.priority, weight: patch.weight, prefix: patch.prefix === null ? '' : patch.prefix });
          return true;
        }
        let found = false;
        await engine.config.update((doc) => {
          const p = configPathOf(id);
          if (!p) return;
          found = true;
          for (const [k, v] of Object.entries(patch)) {
            if (v === undefined) continue;
            if (v === null || v === '') doc.deleteIn([...p, k]);
            else doc.setIn([...p, k], v);
          }
        });
        return found;
      },
    },
    signIn: {
      async start(provider) {
        if (!isOAuthProvider(provider)) throw new Error(`"${provider}" signs in with an API key, not a browser flow.`);
        return flows.start(provider);
      },
      pasteRedirect: (flowId, url) => flows.pasteRedirect(flowId, url),
      cancel: (flowId) => flows.cancel(flowId),
      providers(): ProviderInfo[] {
        return Object.values(providers).map((p) => ({
          id: p.id,
          displayName: p.displayName,
          kind: p.kind,
          signIn: p.kind === 'oauth' ? (isOAuthProvider(p.id) && authFor(p.id).flow === 'device' ? 'device' : 'browser') : 'none',
          protocol: p.protocol,
          keySection: p.configSection?.section ?? null,
          defaultBaseUrl: p.defaultBaseUrl,
          ...offeredModels(engine, p.id, p.defaultModels),
        }));
      },
    },
    quota: {
      snapshot: () => engine.accounts().map((a) => ({ accountId: a.id, windows: engine.quota.book.get(a.id)?.windows ?? [] })),
      async refresh(accountId) {
        const ids = accountId ? [accountId] : engine.accounts().map((a) => a.id);
        await Promise.all(ids.map((id) => engine.quota.scheduler.pollNow(id).catch(() => undefined)));
      },
      thresholds() {
        const [warn = 20, critical = 5] = engine.quota.book.getThresholds();
        return { warnPercentLeft: warn, criticalPercentLeft: critical };
      },
      async setThresholds(t) {
        engine.quota.book.setThresholds([t.warnPercentLeft, t.criticalPercentLeft]);
      },
    },
    // Read when asked, not now: reading the history opens it, and it opens after start-up.
    get usage(): UsageAccess | null {
      const usage = engine.usage;
      return usage
        ? {
            series: (q) => (usage.flush(), usage.series(q)),
            totals: (r) => (usage.flush(), usage.totals(r)),
            recent: (limit, f) => (usage.flush(), usage.recent(limit, f)),
            costBasis: (r) => usage.costBasis(r),
          }
        : null;
    },
    routing: {
      preview: (model) => engine.routing.preview(model),
      testPrompt: (model, prompt, maxTokens) => runTestPrompt(engine, model, prompt, maxTokens),
      testKeyEntry: (at, model) => testKeyEntry(engine, at, model),
      resetCooldowns(accountId) {
        const cleared = engine.routing.resetCooldowns({ accountId });
        emit({ type: 'accounts' });
        return cleared;
      },
    },
    prefs: {
      get: () => prefs.get(),
      async set(patch) {
        await prefs.set(patch);
        await opts.onPrefsChanged?.(prefs.get());
        emit({ type: 'settings' });
      },
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      flows.cancelAll();
      for (const off of offs.splice(0)) off();
      listeners.clear();
    },
  };
  return facade;
}
