import { describe, expect, it } from 'vitest';
import type { EngineEvent, EngineFacade, LifecycleInfo } from '../../../../src-main/engine/control/engine-facade';
import type { Account } from '../../../../src-main/engine/providers/provider';
import { desktopView } from '../../../../src-main/engine/control/desktop-view';
import type { DesktopEvent } from '../../../../src-main/engine/control/control';

const account = (id: string, provider: Account['provider'], label: string): Account => ({
  id, provider, kind: 'oauth', label, order: 0, priority: 0, weight: 1, disabled: false, meta: {},
});

function fakeFacade() {
  const listeners = new Set<(e: EngineEvent) => void>();
  let info: LifecycleInfo = { state: 'stopped', host: '127.0.0.1', port: 8317, startedAt: null, error: null };
  let startError: Error | undefined;
  const signInCalls: unknown[] = [];
  const facade = {
    version: '0.1.0',
    mode: 'desktop',
    lifecycle: {
      info: () => info,
      start: async () => {
        if (startError) {
          info = { ...info, state: 'error', error: startError.message };
          throw startError;
        }
        info = { ...info, state: 'running', startedAt: 1 };
      },
      stop: async () => void (info = { ...info, state: 'stopped' }),
      restart: async () => {},
    },
    accounts: {
      list: () => [
        { account: account('c1', 'claude', 'ada@example.com'), status: 'active', coolingUntil: null, expiresAt: null, plan: 'max', lastError: null, maskedKey: null },
        { account: account('c2', 'claude', 'bob@example.com'), status: 'needs-sign-in', coolingUntil: null, expiresAt: null, plan: null, lastError: null, maskedKey: null },
      ],
    },
    quota: {
      snapshot: () => [
        { accountId: 'c1', windows: [{ id: '5h', label: '5-hour', kind: '5h', usedPercent: 40, resetAt: 5, windowSeconds: 18000, source: 'traffic', observedAt: 1 }] },
        // Codex without purchased credits: the engine's credits meter reads "empty".
        { accountId: 'x1', windows: [{ id: 'credits', label: 'Credits', kind: 'credits', usedPercent: 100, resetAt: null, windowSeconds: 0, source: 'traffic', observedAt: 1, balance: 0 }] },
      ],
      refresh: async () => {},
      thresholds: () => ({ warnPercentLeft: 20, criticalPercentLeft: 5 }),
    },
    signIn: {
      start: async (provider: string, opts: unknown) => {
        signInCalls.push({ provider, opts });
        return { flowId: 'f1', provider, kind: 'authorize-url', authorizeUrl: 'https://claude.ai/oauth/authorize?state=x', userCode: null, verificationUri: null, acceptsPastedRedirect: true, expiresAt: null };
      },
      providers: () => [
        { id: 'claude', displayName: 'Claude', kind: 'oauth', signIn: 'browser' },
        { id: 'gemini-api', displayName: 'Gemini API', kind: 'api-key', signIn: 'none' },
      ],
    },
    prefs: { get: () => ({ language: 'zh-CN', theme: 'system', launchAtLogin: false, startProxyAtLaunch: true }), set: async () => {} },
    subscribe: (l: (e: EngineEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
  };
  return {
    facade: facade as unknown as EngineFacade,
    emit: (e: EngineEvent) => listeners.forEach((l) => l(e)),
    failStart: (e: Error) => (startError = e),
    listeners: () => listeners.size,
    signInCalls,
  };
}

describe('DesktopView over the control facade', () => {
  it('maps lifecycle, accounts, quota (balances marked as such), providers and the language', async () => {
    const f = fakeFacade();
    const e = desktopView(f.facade);
    expect(e.state).toBe('stopped');
    expect(e.baseUrl).toBeUndefined();
    await e.start();
    expect(e.baseUrl).toBe('http://127.0.0.1:8317');
    expect(e.accounts()).toEqual([
      { id: 'c1', provider: 'claude', label: 'ada@example.com', status: 'active' },
      { id: 'c2', provider: 'claude', label: 'bob@example.com', status: 'needs-sign-in' },
    ]);
    expect(e.quota()).toEqual([
      { accountId: 'c1', windows: [{ id: '5h', label: '5h', usedPercent: 40, resetAt: 5 }] },
      { accountId: 'x1', windows: [{ id: 'credits', label: 'Credits', usedPercent: 100, resetAt: null, isBalance: true, balance: 0 }] },
    ]);
    expect(e.providers()).toEqual([
      { id: 'claude', displayName: 'Claude', signIn: true },
      { id: 'gemini-api', displayName: 'Gemini API', signIn: false },
    ]);
    expect(e.language!()).toBe('zh-CN');
  });

  it("the engine's quota alerts pass through as they are, warnings and recoveries (the shell decides none itself)", () => {
    const f = fakeFacade();
    const e = desktopView(f.facade);
    const events: DesktopEvent[] = [];
    e.onEvent((ev) => events.push(ev));
    f.emit({ type: 'quota-threshold', event: { accountId: 'c1', provider: 'claude', label: 'ada@example.com', windowId: '5h', windowLabel: '5-hour', level: 'warn', percentLeft: 18, resetAt: 5 } });
    f.emit({ type: 'quota-threshold', event: { accountId: 'c1', provider: 'claude', label: 'ada@example.com', windowId: '5h', windowLabel: '5-hour', level: 'recovered', percentLeft: 100, resetAt: null } });
    expect(events).toEqual([
      { type: 'quota-threshold', accountId: 'c1', provider: 'claude', accountLabel: 'ada@example.com', windowId: '5h', windowLabel: '5-hour', level: 'warn', percentLeft: 18, resetAt: 5 },
      { type: 'quota-threshold', accountId: 'c1', provider: 'claude', accountLabel: 'ada@example.com', windowId: '5h', windowLabel: '5-hour', level: 'recovered', percentLeft: 100, resetAt: null },
    ]);
  });

  it('listens to the engine only while someone listens to it (a headless runtime never does)', () => {
    const f = fakeFacade();
    const e = desktopView(f.facade);
    expect(f.listeners()).toBe(0);
    const offA = e.onEvent(() => {});
    const offB = e.onEvent(() => {});
    expect(f.listeners()).toBe(1);
    offA();
    expect(f.listeners()).toBe(1);
    offB();
    expect(f.listeners()).toBe(0);
  });

  it('sign-in asks for a browser flow and returns its authorize URL', async () => {
    const f = fakeFacade();
    const e = desktopView(f.facade);
    expect(await e.beginSignIn('claude')).toEqual({ authorizeUrl: 'https://claude.ai/oauth/authorize?state=x', userCode: undefined, opened: false });
    expect(f.signInCalls).toEqual([{ provider: 'claude', opts: { mode: 'browser' } }]);
    // Desktop: the facade's flow opens the URL through the shell's opener; the tray must not open it twice.
    expect(await desktopView(f.facade, { opensSignInUrls: true }).beginSignIn('claude')).toMatchObject({ opened: true });
  });

  it('a busy port becomes a port-busy event, not a rejection', async () => {
    const f = fakeFacade();
    const e = desktopView(f.facade);
    const events: DesktopEvent[] = [];
    e.onEvent((ev) => events.push(ev));
    f.failStart(Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8317'), { code: 'EADDRINUSE' }));
    await e.start();
    expect(e.state).toBe('error');
    expect(events).toEqual([{ type: 'error', code: 'port-busy', message: 'listen EADDRINUSE: address already in use 127.0.0.1:8317' }]);
  });

  it('engine events become shell events (sign-in results carry the account label)', () => {
    const f = fakeFacade();
    const e = desktopView(f.facade);
    const events: DesktopEvent[] = [];
    e.onEvent((ev) => events.push(ev));
    f.emit({ type: 'quota', accountIds: ['c1'] });
    f.emit({ type: 'accounts' });
    f.emit({ type: 'sign-in-result', outcome: { flowId: 'f1', provider: 'claude', ok: true, accountId: 'c1', error: null } });
    f.emit({ type: 'sign-in-result', outcome: { flowId: 'f2', provider: 'claude', ok: false, accountId: null, error: { code: 'denied', message: 'access denied' } } });
    expect(events).toEqual([
      { type: 'quota' },
      { type: 'accounts' },
      { type: 'sign-in', provider: 'claude', status: 'succeeded', accountLabel: 'ada@example.com', message: undefined },
      { type: 'sign-in', provider: 'claude', status: 'failed', accountLabel: undefined, message: 'access denied' },
    ]);
  });
});
