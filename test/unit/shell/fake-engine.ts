/** A scriptable ShellEngine for shell tests: state, accounts and quota are plain fields. */
import type { ShellAccount, ShellAccountQuota, ShellEngine, ShellEngineEvent, ShellEngineState, ShellProvider } from '../../../src-main/shell/engine-port';

export const PROVIDERS: ShellProvider[] = [
  { id: 'claude', displayName: 'Claude', signIn: true },
  { id: 'codex', displayName: 'Codex', signIn: true },
  { id: 'gemini-api', displayName: 'Gemini API', signIn: false },
];

export class FakeShellEngine implements ShellEngine {
  state: ShellEngineState = 'stopped';
  configuredPort = 8317;
  lastError: string | undefined;
  accountList: ShellAccount[] = [];
  quotaList: ShellAccountQuota[] = [];
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
  private listeners = new Set<(ev: ShellEngineEvent) => void>();

  get port(): number {
    return this.configuredPort;
  }
  get baseUrl(): string | undefined {
    return this.state === 'running' ? `http://127.0.0.1:${this.configuredPort}` : undefined;
  }
  emit(ev: ShellEngineEvent): void {
    for (const l of [...this.listeners]) l(ev);
  }
  private setState(s: ShellEngineState): void {
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
  onEvent(cb: (ev: ShellEngineEvent) => void): () => void {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  }
  accounts(): ShellAccount[] {
    return this.accountList;
  }
  quota(): ShellAccountQuota[] {
    return this.quotaList;
  }
  providers(): ShellProvider[] {
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
  crossThreshold(e: Omit<Extract<ShellEngineEvent, { type: 'quota-threshold' }>, 'type'>): void {
    this.emit({ type: 'quota-threshold', ...e });
  }
  setQuota(accountId: string, windows: ShellAccountQuota['windows']): void {
    this.quotaList = [...this.quotaList.filter((q) => q.accountId !== accountId), { accountId, windows }];
    this.emit({ type: 'quota' });
  }
}

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const H = 3600_000;

/** Four accounts over two providers, with 5h and weekly meters. */
export function fourAccounts(e: FakeShellEngine): void {
  e.accountList = [
    { id: 'c1', provider: 'claude', label: 'ada@example.com', status: 'ok' },
    { id: 'c2', provider: 'claude', label: 'bob@example.com', status: 'needs-sign-in' },
    { id: 'x1', provider: 'codex', label: 'cy@example.com', status: 'ok' },
    { id: 'g1', provider: 'gemini-api', label: 'gemini #1', status: 'ok' },
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
