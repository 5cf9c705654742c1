/** A scriptable DesktopView for shell tests: state, accounts and quota are plain fields. */
import { contract, invokeChannels, type Handlers } from '../../../src-shared/contract';
import type { Control } from '../../../src-main/engine/control/control';
import type { DesktopAccount, DesktopAccountQuota, DesktopView, DesktopEvent, DesktopProvider } from '../../../src-main/engine/control/control';
import type { EngineState } from '../../../src-shared/domain';

export const PROVIDERS: DesktopProvider[] = [
  { id: 'claude', displayName: 'Claude', signIn: true },
  { id: 'codex', displayName: 'Codex', signIn: true },
  { id: 'gemini-api', displayName: 'Gemini API', signIn: false },
];

export class FakeDesktop implements DesktopView {
  state: EngineState = 'stopped';
  configuredPort = 8317;
  lastError: string | undefined;
  accountList: DesktopAccount[] = [];
  quotaList: DesktopAccountQuota[] = [];
  providerList = PROVIDERS;
  /** Next start fails with this message (port busy, …). */
  failNextStart: string | undefined;
  signInUrls: Record<string, string> = {
    claude: 'https://claude.ai/oauth/authorize?client_id=x&state=s1&code_challenge=c',
    codex: 'https://auth.openai.com/oauth/authorize?client_id=y&state=s2',
  };
  calls: string[] = [];
  /** The app's language setting. */
  languagePref: 'system' | 'en' | 'zh-CN' = 'system';
  /** Like the desktop facade: sign-in flows open their URL through `openUrl` themselves. */
  openUrl: ((url: string) => Promise<unknown>) | undefined;
  private listeners = new Set<(ev: DesktopEvent) => void>();

  get port(): number {
    return this.configuredPort;
  }
  get baseUrl(): string | undefined {
    return this.state === 'running' ? `http://127.0.0.1:${this.configuredPort}` : undefined;
  }
  emit(ev: DesktopEvent): void {
    for (const l of [...this.listeners]) l(ev);
  }
  private setState(s: EngineState): void {
    this.state = s;
    this.emit({ type: 'state', state: s });
  }
  async start(): Promise<void> {
    this.calls.push('start');
    if (this.failNextStart) {
      this.lastError = this.failNextStart;
      this.failNextStart = undefined;
      this.setState('error');
      this.emit({ type: 'error', code: /in use/.test(this.lastError) ? 'port-busy' : 'proxy-error', message: this.lastError });
      return;
    }
    this.lastError = undefined;
    this.setState('running');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
    this.setState('stopped');
  }
  onEvent(cb: (ev: DesktopEvent) => void): () => void {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  }
  accounts(): DesktopAccount[] {
    return this.accountList;
  }
  quota(): DesktopAccountQuota[] {
    return this.quotaList;
  }
  providers(): DesktopProvider[] {
    return this.providerList;
  }
  async refreshQuotas(): Promise<void> {
    this.calls.push('refreshQuotas');
  }
  async beginSignIn(provider: string): Promise<{ authorizeUrl: string; opened?: boolean }> {
    this.calls.push(`signIn:${provider}`);
    const url = this.signInUrls[provider];
    if (!url) throw new Error(`no sign-in for ${provider}`);
    if (this.openUrl) {
      await this.openUrl(url);
      return { authorizeUrl: url, opened: true };
    }
    return { authorizeUrl: url };
  }
  language(): 'system' | 'en' | 'zh-CN' {
    return this.languagePref;
  }
  /** The engine crossed a threshold (it owns the thresholds; the shell only shows the warning). */
  crossThreshold(e: Omit<Extract<DesktopEvent, { type: 'quota-threshold' }>, 'type'>): void {
    this.emit({ type: 'quota-threshold', ...e });
  }
  setQuota(accountId: string, windows: DesktopAccountQuota['windows']): void {
    this.quotaList = [...this.quotaList.filter((q) => q.accountId !== accountId), { accountId, windows }];
    this.emit({ type: 'quota' });
  }
}

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const H = 3600_000;

/** Four accounts over two providers, with 5h and weekly meters. */
export function fourAccounts(e: FakeDesktop): void {
  e.accountList = [
    { id: 'c1', provider: 'claude', label: 'ada@example.com', status: 'active' },
    { id: 'c2', provider: 'claude', label: 'bob@example.com', status: 'needs-sign-in' },
    { id: 'x1', provider: 'codex', label: 'cy@example.com', status: 'active' },
    { id: 'g1', provider: 'gemini-api', label: 'gemini #1', status: 'active' },
  ];
  e.quotaList = [
    {
      accountId: 'c1',
      windows: [
        { id: '5h', label: '5h', usedPercent: 42, resetAt: NOW + 2 * H + 13 * 60_000 },
        { id: 'weekly', label: 'Weekly', usedPercent: 10, resetAt: NOW + 76 * H },
      ],
    },
    { accountId: 'x1', windows: [{ id: '5h', label: '5h', usedPercent: 85, resetAt: NOW + 30 * 60_000 }] },
  ];
}

/**
 * A Control around a fake desktop view, as the shell consumes it: every contract channel answers
 * `{}` and `events` is a set the test can push contract events through.
 */
export function fakeControl(desktop: FakeDesktop) {
  const handlers = Object.fromEntries(invokeChannels.map((c) => [c, async () => ({})])) as unknown as Handlers;
  const events = new Set<(e: { event: string; payload: unknown }) => void>();
  const control = {
    contract,
    handlers,
    events: { subscribe: (l: (e: { event: string; payload: unknown }) => void) => (events.add(l), () => void events.delete(l)) },
    invoke: async () => ({ ok: true, data: {} }),
    desktop,
    dispose: () => events.clear(),
  } as unknown as Control;
  return { control, events };
}
