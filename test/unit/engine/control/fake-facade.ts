import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { ConfigStore } from '../../../../src-main/engine/config/store';
import { accountsFromConfig } from '../../../../src-main/engine/providers/config-accounts';
import type { Account } from '../../../../src-main/engine/providers/provider';
import type { QuotaWindow } from '../../../../src-main/engine/quota/window';
import { UsageRecorder } from '../../../../src-main/engine/usage/recorder';
import type { UsageRecord } from '../../../../src-main/engine/usage/record';
import type {
  AccountView,
  EngineEvent,
  EngineFacade,
  LifecycleInfo,
  Prefs,
} from '../../../../src-main/engine/control/engine-facade';
import type { ProviderInfo, QuotaThresholds, SignInStart } from '../../../../src-shared/domain';
import { fakeProviders } from './fake-providers';

export interface FakeEngineOptions {
  configYaml?: string;
  mode?: 'desktop' | 'headless';
  now?: () => number;
  /** Sign-ins finish by themselves after this many ms (browser flows); 0 = only on paste/complete. */
  autoCompleteSignInMs?: number;
}

interface Flow {
  start: SignInStart;
  accountId?: string;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * An in-memory engine behind the real ConfigStore (temp file) and the real UsageRecorder
 * (SQLite in memory). OAuth accounts, quota windows and sign-in flows are simulated; key
 * accounts come from the config exactly as the engine derives them.
 */
export class FakeEngine implements EngineFacade {
  readonly version = '0.1.0-test';
  readonly mode: 'desktop' | 'headless';
  readonly dir: string;
  config!: ConfigStore;
  readonly usage: UsageRecorder;
  readonly oauth: AccountView[] = [];
  readonly windows = new Map<string, QuotaWindow[]>();
  private readonly bus = new EventEmitter<{ e: [EngineEvent] }>();
  private life: LifecycleInfo = { state: 'running', host: '127.0.0.1', port: 8317, startedAt: null, error: null };
  private flows = new Map<string, Flow>();
  private flowSeq = 0;
  private thresholdsValue: QuotaThresholds = { warnPercentLeft: 20, criticalPercentLeft: 5 };
  private prefsValue: Prefs;
  readonly now: () => number;
  refreshCalls: Array<string | undefined> = [];
  /** Browser sign-ins finish by themselves after this many ms; 0 = only on paste/complete. */
  autoCompleteSignInMs: number;
  testPrompts: string[] = [];

  constructor(private readonly opts: FakeEngineOptions = {}) {
    this.mode = opts.mode ?? 'desktop';
    this.autoCompleteSignInMs = opts.autoCompleteSignInMs ?? 0;
    this.now = opts.now ?? Date.now;
    this.dir = mkdtempSync(path.join(tmpdir(), 'sy-control-'));
    this.usage = new UsageRecorder({ dbPath: ':memory:', now: this.now });
    this.life.startedAt = this.now();
    this.prefsValue = { language: 'en', theme: 'system', launchAtLogin: this.mode === 'desktop' ? false : null, startProxyAtLaunch: this.mode === 'desktop' ? true : null };
  }

  static async create(opts: FakeEngineOptions = {}): Promise<FakeEngine> {
    const f = new FakeEngine(opts);
    const file = path.join(f.dir, 'config.yaml');
    const text = opts.configYaml ?? 'port: 8317\napi-keys:\n  - sk-test-0123456789abcdef\n';
    writeFileSync(file, text);
    f.config = ConfigStore.fromText(text, file);
    f.config.on('change', () => {
      f.emit({ type: 'settings' });
      f.emit({ type: 'accounts' });
    });
    return f;
  }

  close(): void {
    for (const fl of this.flows.values()) clearTimeout(fl.timer);
    this.usage.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  emit(e: EngineEvent): void {
    this.bus.emit('e', e);
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.bus.on('e', listener);
    return () => this.bus.off('e', listener);
  }

  private keyViews(): AccountView[] {
    return accountsFromConfig(this.config.current).map(({ account, apiKey }) => ({
      account,
      status: account.disabled ? 'disabled' : 'active',
      coolingUntil: null,
      expiresAt: null,
      plan: null,
      lastError: null,
      maskedKey: `…${apiKey.slice(-4)}`,
    }));
  }

  addOauthAccount(a: Partial<Account> & { id: string; provider: Account['provider']; label: string }, extra: Partial<AccountView> = {}): AccountView {
    const account: Account = { kind: 'oauth', order: this.oauth.length, priority: 0, weight: 1, disabled: false, meta: {}, ...a };
    const v: AccountView = { account, status: 'active', coolingUntil: null, expiresAt: this.now() + 3_600_000, plan: null, lastError: null, maskedKey: null, ...extra };
    this.oauth.push(v);
    return v;
  }

  lifecycle = {
    info: () => ({ ...this.life }),
    start: async () => {
      this.life = { ...this.life, state: 'running', startedAt: this.now(), error: null };
      this.emit({ type: 'state' });
    },
    stop: async () => {
      this.life = { ...this.life, state: 'stopped', startedAt: null };
      this.emit({ type: 'state' });
    },
    restart: async () => {
      this.life = { ...this.life, state: 'running', startedAt: this.now(), host: this.config.current.host, port: this.config.current.port };
      this.emit({ type: 'state' });
    },
  };

  accounts = {
    list: (): AccountView[] => [...this.oauth, ...this.keyViews()],
    remove: async (id: string) => {
      const i = this.oauth.findIndex((v) => v.account.id === id);
      if (i < 0) return false;
      this.oauth.splice(i, 1);
      this.windows.delete(id);
      this.emit({ type: 'accounts' });
      return true;
    },
    setEnabled: async (id: string, enabled: boolean) => {
      const v = this.oauth.find((x) => x.account.id === id);
      if (!v) return false;
      v.account.disabled = !enabled;
      v.status = enabled ? 'active' : 'disabled';
      this.emit({ type: 'accounts' });
      return true;
    },
    update: async (id: string, patch: { priority?: number; prefix?: string | null; weight?: number }) => {
      const v = this.oauth.find((x) => x.account.id === id);
      if (!v) return false;
      if (patch.priority !== undefined) v.account.priority = patch.priority;
      if (patch.weight !== undefined) v.account.weight = patch.weight;
      if (patch.prefix !== undefined) v.account.prefix = patch.prefix ?? undefined;
      this.emit({ type: 'accounts' });
      return true;
    },
  };

  signIn = {
    providers: (): ProviderInfo[] => fakeProviders,
    start: async (provider: string, o: { mode?: 'browser' | 'device' | 'manual'; accountId?: string }): Promise<SignInStart> => {
      const info = fakeProviders.find((p) => p.id === provider)!;
      const flowId = `flow-${++this.flowSeq}`;
      const device = info.signIn === 'device';
      const start: SignInStart = {
        flowId,
        provider,
        kind: device ? 'device-code' : 'authorize-url',
        authorizeUrl: device ? null : `http://127.0.0.1:1/authorize?client_id=test&state=${flowId}`,
        userCode: device ? 'WDJB-MJHT' : null,
        verificationUri: device ? 'http://127.0.0.1:1/device' : null,
        acceptsPastedRedirect: !device,
        expiresAt: this.now() + 600_000,
      };
      const flow: Flow = { start, accountId: o.accountId };
      this.flows.set(flowId, flow);
      queueMicrotask(() =>
        this.emit({ type: 'sign-in-progress', progress: { flowId, provider, stage: device ? 'waiting-for-device' : 'waiting-for-browser', message: null } }),
      );
      const ms = this.autoCompleteSignInMs;
      if (ms > 0 && o.mode !== 'manual') flow.timer = setTimeout(() => this.completeSignIn(flowId, `${provider}-user@example.com`), ms);
      return start;
    },
    pasteRedirect: async (flowId: string, redirectUrl: string) => {
      if (!this.flows.has(flowId)) return false;
      const code = new URL(redirectUrl).searchParams.get('code');
      if (!code) {
        this.failSignIn(flowId, 'access_denied', 'the provider refused the sign-in');
        return true;
      }
      setTimeout(() => this.completeSignIn(flowId, `pasted-${code}@example.com`), 5);
      return true;
    },
    cancel: async (flowId: string) => {
      const f = this.flows.get(flowId);
      if (!f) return false;
      clearTimeout(f.timer);
      this.flows.delete(flowId);
      this.emit({ type: 'sign-in-result', outcome: { flowId, provider: f.start.provider, ok: false, accountId: null, error: { code: 'cancelled', message: 'cancelled' } } });
      return true;
    },
  };

  completeSignIn(flowId: string, email: string): void {
    const f = this.flows.get(flowId);
    if (!f) return;
    this.flows.delete(flowId);
    const provider = f.start.provider as Account['provider'];
    this.emit({ type: 'sign-in-progress', progress: { flowId, provider, stage: 'exchanging-code', message: null } });
    const id = f.accountId ?? `${provider}:${email}`;
    if (!this.oauth.some((v) => v.account.id === id)) this.addOauthAccount({ id, provider, label: email }, { plan: 'pro' });
    else {
      const v = this.oauth.find((x) => x.account.id === id)!;
      v.status = 'active';
      v.expiresAt = this.now() + 3_600_000;
    }
    this.emit({ type: 'accounts' });
    this.emit({ type: 'sign-in-result', outcome: { flowId, provider, ok: true, accountId: id, error: null } });
  }

  failSignIn(flowId: string, code: string, message: string): void {
    const f = this.flows.get(flowId);
    if (!f) return;
    this.flows.delete(flowId);
    this.emit({ type: 'sign-in-result', outcome: { flowId, provider: f.start.provider, ok: false, accountId: null, error: { code, message } } });
  }

  quota = {
    snapshot: () => [...this.windows].map(([accountId, windows]) => ({ accountId, windows })),
    refresh: async (accountId?: string) => {
      this.refreshCalls.push(accountId);
    },
    thresholds: () => ({ ...this.thresholdsValue }),
    setThresholds: async (t: QuotaThresholds) => {
      this.thresholdsValue = { ...t };
    },
  };

  setWindows(accountId: string, windows: QuotaWindow[]): void {
    this.windows.set(accountId, windows);
    this.emit({ type: 'quota', accountIds: [accountId] });
  }

  /** A finished request: stored as usage, emitted to the live log. */
  recordRequest(r: Partial<UsageRecord> & { requestedModel: string }): UsageRecord {
    const rec: UsageRecord = {
      id: `req-${Math.random().toString(36).slice(2, 10)}`,
      time: this.now(),
      inboundFormat: 'openai-chat',
      inputTokens: 10,
      outputTokens: 20,
      reasoningTokens: 0,
      cachedTokens: 0,
      latencyMs: 120,
      status: 200,
      stream: false,
      ...r,
    };
    this.usage.record(rec);
    this.emit({ type: 'request', record: rec });
    return rec;
  }

  routing = {
    preview: (model: string) => {
      const alias = [...Object.entries(this.config.current['oauth-model-alias'])].flatMap(([p, l]) => l.map((m) => ({ p, ...m }))).find((m) => m.alias === model);
      const upstream = alias?.name ?? model;
      const candidates = this.accounts
        .list()
        .filter((v) => !v.account.disabled && (!alias || v.account.provider === alias.p))
        .map((v) => ({ provider: v.account.provider, accountId: v.account.id, accountLabel: v.account.label, upstreamModel: upstream, reasoning: null, status: v.status, coolingUntil: v.coolingUntil }));
      return {
        model,
        resolved: candidates.length > 0,
        steps: alias ? [`alias ${model} → ${alias.p} ${upstream}`] : [`no alias; ${model} is sent as is`],
        candidates,
        error: candidates.length ? null : 'no account serves this model',
      };
    },
    resetCooldowns: (accountId: string) => {
      const v = this.accounts.list().find((x) => x.account.id === accountId);
      if (!v || v.status !== 'cooling') return 0;
      v.status = 'active';
      v.coolingUntil = null;
      v.coolingReason = null;
      this.emit({ type: 'accounts' });
      return 1;
    },
    testPrompt: async (model: string, prompt: string) => {
      this.testPrompts.push(prompt);
      const p = this.routing.preview(model);
      const c = p.candidates[0];
      if (!c) return { ok: false, status: 404, text: '', latencyMs: 1, provider: null, accountLabel: null, upstreamModel: null, inputTokens: 0, outputTokens: 0, error: 'model_not_found' };
      this.recordRequest({ requestedModel: model, upstreamModel: c.upstreamModel, provider: c.provider, accountId: c.accountId, accountLabel: c.accountLabel, clientKeyLabel: 'ui-test' });
      return { ok: true, status: 200, text: `echo: ${prompt}`, latencyMs: 120, provider: c.provider, accountLabel: c.accountLabel, upstreamModel: c.upstreamModel, inputTokens: 10, outputTokens: 20, error: null };
    },
  };

  prefs = {
    get: () => ({ ...this.prefsValue }),
    set: async (p: Partial<Prefs>) => {
      this.prefsValue = { ...this.prefsValue, ...p };
      this.emit({ type: 'settings' });
    },
  };
}
