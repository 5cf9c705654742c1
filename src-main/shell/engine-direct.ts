/**
 * Interim bridge from the `Engine` class itself to `ShellEngine`, used until the control facade
 * (engine/control/engine-facade.ts) has an implementation to hand to `shellEngineFromFacade`.
 * It reads only what the engine already exposes: lifecycle, state events, accounts, the quota
 * book. Sign-in needs the facade, so providers are listed without a sign-in item here.
 */
import type { ShellAccount, ShellEngine, ShellEngineEvent, ShellEngineState } from './engine-port';
import { isPortBusy } from './engine-adapter';

interface WindowLike {
  id: string;
  label: string;
  kind: string;
  model?: string;
  usedPercent: number;
  resetAt: number | null;
}

/** The structural slice of `Engine` this bridge reads (so engine refactors surface here as type errors). */
export interface DirectEngine {
  readonly state: string;
  readonly listening: { host: string; port: number } | undefined;
  readonly config: { readonly current: { host: string; port: number } };
  readonly events: { on(event: 'state', cb: (s: ShellEngineState) => void): unknown };
  readonly quota: {
    readonly book: {
      snapshot(): Array<{ accountId: string; windows: WindowLike[] }>;
      getThresholds(): number[];
      on(event: 'snapshot', cb: (s: unknown) => void): unknown;
    };
    readonly scheduler: { tick(): Promise<void> };
  };
  start(): Promise<unknown>;
  stop(graceMs?: number): Promise<void>;
  accounts(): ReadonlyArray<{ id: string; provider: string; label: string; disabled: boolean }>;
}

export interface DirectProvider {
  id: string;
  displayName: string;
}

export function shellEngineFromEngine(engine: DirectEngine, providers: () => readonly DirectProvider[]): ShellEngine {
  const listeners = new Set<(ev: ShellEngineEvent) => void>();
  const emit = (ev: ShellEngineEvent) => listeners.forEach((l) => l(ev));
  let lastError: string | undefined;
  engine.events.on('state', (s) => emit({ type: 'state', state: s }));
  engine.quota.book.on('snapshot', () => emit({ type: 'quota' }));

  return {
    get state() {
      return engine.state as ShellEngineState;
    },
    get baseUrl() {
      const l = engine.listening;
      if (!l || engine.state !== 'running') return undefined;
      const host = l.host === '0.0.0.0' || l.host === '::' ? '127.0.0.1' : l.host;
      return `http://${host.includes(':') ? `[${host}]` : host}:${l.port}`;
    },
    get port() {
      return engine.listening?.port ?? engine.config.current.port;
    },
    get lastError() {
      return engine.state === 'error' ? lastError : undefined;
    },
    async start() {
      try {
        await engine.start();
        lastError = undefined;
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const busy = e.code === 'EADDRINUSE' || isPortBusy(e.message);
        lastError = busy ? `port ${engine.config.current.port} is already in use` : e.message;
        emit({ type: 'state', state: engine.state as ShellEngineState });
        emit({ type: 'error', code: busy ? 'port-busy' : 'proxy-error', message: lastError });
      }
    },
    stop: () => engine.stop(),
    onEvent(cb) {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
    accounts: (): ShellAccount[] =>
      engine.accounts().map((a) => ({ id: a.id, provider: a.provider, label: a.label, status: a.disabled ? 'disabled' : 'ok' })),
    quota: () =>
      engine.quota.book.snapshot().map((q) => ({
        accountId: q.accountId,
        windows: q.windows.map((w) => ({
          id: w.id,
          label: w.kind === '5h' ? '5h' : w.kind === 'per-model' && w.model ? w.model : w.label,
          usedPercent: w.usedPercent,
          resetAt: w.resetAt,
        })),
      })),
    providers: () => providers().map((p) => ({ id: p.id, displayName: p.displayName, signIn: false })),
    refreshQuotas: () => engine.quota.scheduler.tick(),
    async beginSignIn(provider) {
      throw new Error(`sign-in for ${provider} is available from the Switchyard window`);
    },
    // The book speaks in percent left; the notifier in percent used.
    quotaThresholds: () => engine.quota.book.getThresholds().map((left) => 100 - left),
  };
}
