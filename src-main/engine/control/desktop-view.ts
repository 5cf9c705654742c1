/**
 * The `desktop` part of the Control surface: the facade's snapshots in the shape the tray and
 * the notifier read synchronously. Start failures (port busy) become `error` events so the tray
 * and the notifier can tell the user; nothing here touches a secret.
 */
import type { DesktopEvent, DesktopView } from './control';
import type { EngineEvent, EngineFacade } from './engine-facade';

/** Short meter labels for menus: "5h", "Weekly", the model name for per-model windows. */
function shortLabel(w: { kind: string; label: string; model?: string }): string {
  if (w.kind === '5h') return w.label === '5-hour' ? '5h' : w.label;
  if (w.kind === 'per-model' && w.model) return w.model;
  return w.label;
}

export function isPortBusy(message: string | null | undefined): boolean {
  return !!message && /EADDRINUSE|address already in use|already in use|port .* busy/i.test(message);
}

export interface DesktopViewOptions {
  /** The facade's sign-in flows open the URL themselves (its `openUrl` is our validated opener). */
  opensSignInUrls?: boolean;
}

export function desktopView(f: EngineFacade, o: DesktopViewOptions = {}): DesktopView {
  const listeners = new Set<(ev: DesktopEvent) => void>();
  const emit = (ev: DesktopEvent) => listeners.forEach((l) => l(ev));
  const labelOf = (accountId: string | null) => (accountId ? f.accounts.list().find((a) => a.account.id === accountId)?.account.label : undefined);

  const reportStartFailure = (err?: unknown) => {
    const info = f.lifecycle.info();
    const message = info.error ?? (err instanceof Error ? err.message : err ? String(err) : 'the proxy could not start');
    emit({ type: 'error', code: isPortBusy(message) || (err as NodeJS.ErrnoException)?.code === 'EADDRINUSE' ? 'port-busy' : 'proxy-error', message });
  };

  const onEngine = (e: EngineEvent): void => {
    switch (e.type) {
      case 'state':
        emit({ type: 'state', state: f.lifecycle.info().state });
        return;
      case 'accounts':
        emit({ type: 'accounts' });
        return;
      case 'quota':
        emit({ type: 'quota' });
        return;
      case 'settings':
        emit({ type: 'settings' });
        return;
      case 'quota-threshold': {
        // The engine decided (thresholds, never balances); the shell only shows it.
        const q = e.event;
        emit({
          type: 'quota-threshold',
          accountId: q.accountId,
          provider: q.provider,
          accountLabel: q.label,
          windowId: q.windowId,
          windowLabel: q.windowLabel,
          level: q.level,
          percentLeft: q.percentLeft,
          resetAt: q.resetAt,
        });
        return;
      }
      case 'sign-in-result': {
        const o = e.outcome;
        emit({
          type: 'sign-in',
          provider: o.provider,
          status: o.ok ? 'succeeded' : 'failed',
          accountLabel: labelOf(o.accountId),
          message: o.error?.message,
        });
        return;
      }
      default:
        return;
    }
  };
  // Subscribed while someone listens (the tray does; a headless runtime never does).
  let offEngine: (() => void) | undefined;

  return {
    get state() {
      return f.lifecycle.info().state;
    },
    get baseUrl() {
      const i = f.lifecycle.info();
      if (i.state !== 'running') return undefined;
      const host = i.host === '0.0.0.0' || i.host === '::' ? '127.0.0.1' : i.host;
      return `http://${host.includes(':') ? `[${host}]` : host}:${i.port}`;
    },
    get port() {
      return f.lifecycle.info().port;
    },
    get lastError() {
      return f.lifecycle.info().error ?? undefined;
    },
    async start() {
      try {
        await f.lifecycle.start();
      } catch (err) {
        reportStartFailure(err);
        return;
      }
      if (f.lifecycle.info().state === 'error') reportStartFailure();
    },
    stop: () => f.lifecycle.stop(),
    onEvent(cb) {
      listeners.add(cb);
      offEngine ??= f.subscribe(onEngine);
      return () => {
        listeners.delete(cb);
        if (listeners.size > 0) return;
        offEngine?.();
        offEngine = undefined;
      };
    },
    accounts: () =>
      f.accounts.list().map((v) => ({ id: v.account.id, provider: v.account.provider, label: v.account.label, status: v.status })),
    quota: () =>
      f.quota.snapshot().map((q) => ({
        accountId: q.accountId,
        windows: q.windows.map((w) => ({
          id: w.id,
          label: shortLabel(w),
          usedPercent: w.usedPercent,
          resetAt: w.resetAt,
          ...(w.kind === 'credits' ? { isBalance: true, ...(w.balance !== undefined ? { balance: w.balance } : {}) } : {}),
        })),
      })),
    providers: () => f.signIn.providers().map((p) => ({ id: p.id, displayName: p.displayName, signIn: p.signIn !== 'none' })),
    refreshQuotas: () => f.quota.refresh(),
    async beginSignIn(provider) {
      const s = await f.signIn.start(provider, { mode: 'browser' });
      const url = s.authorizeUrl ?? s.verificationUri;
      if (!url) throw new Error(`${provider}: the sign-in did not give a URL to open`);
      return { authorizeUrl: url, userCode: s.userCode ?? undefined, opened: o.opensSignInUrls ?? false };
    },
    language: () => f.prefs?.get().language ?? 'system',
    startProxyAtLaunch: () => f.prefs?.get().startProxyAtLaunch ?? true,
    setLaunchAtLoginPref: (on) => f.prefs.set({ launchAtLogin: on }),
  };
}
