import { create } from 'zustand';
import type { AccountSummary, KeyEntryDetail, KeyEntryInput, KeyEntryPatch, KeyTestResult, ProviderInfo, SignInProgress, SignInResult, SignInStart } from '../../src-shared/domain';
import type { ContractClient } from '../api/client';
import { client, errorText } from './connection';

export interface SignInState {
  provider: string;
  start: SignInStart | null;
  progress: SignInProgress | null;
  result: SignInResult | null;
  error: string | null;
}

interface AccountsState {
  accounts: AccountSummary[];
  providers: ProviderInfo[];
  keys: KeyEntryDetail[];
  loaded: boolean;
  error: string | null;
  signIn: SignInState | null;
  connect(c: ContractClient): () => void;
  load(): Promise<void>;
  startSignIn(provider: string, opts?: { mode?: 'manual'; accountId?: string }): Promise<void>;
  pasteRedirect(url: string): Promise<string | null>;
  cancelSignIn(): Promise<void>;
  closeSignIn(): void;
  remove(id: string): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  update(id: string, patch: { priority?: number; prefix?: string | null }): Promise<void>;
  resetCooldown(id: string): Promise<void>;
  addKey(input: KeyEntryInput): Promise<void>;
  removeKey(id: string): Promise<void>;
  /** Returns the entry as saved (its id changes with its key or base URL). */
  updateKey(id: string, patch: KeyEntryPatch): Promise<KeyEntryDetail>;
  testKey(id: string, model?: string): Promise<KeyTestResult>;
}

const replace = (list: AccountSummary[], a: AccountSummary) => list.map((x) => (x.id === a.id ? a : x));

export const useAccounts = create<AccountsState>()((set, get) => ({
  accounts: [],
  providers: [],
  keys: [],
  loaded: false,
  error: null,
  signIn: null,
  connect(c) {
    void get().load();
    const offs = [
      c.on('app:accounts:changed', ({ accounts }) => {
        set({ accounts });
        void c.call('app:keys:list').then(({ entries }) => set({ keys: entries }), () => undefined);
      }),
      c.on('app:accounts:sign-in-progress', (progress) => {
        // Progress can arrive before the start call returns: accept it for the provider being signed in.
        const s = get().signIn;
        if (s && (s.start ? s.start.flowId === progress.flowId : s.provider === progress.provider)) set({ signIn: { ...s, progress } });
      }),
      c.on('app:accounts:sign-in-result', (result) => {
        const s = get().signIn;
        if (s && (s.start ? s.start.flowId === result.flowId : s.provider === result.provider)) set({ signIn: { ...s, result } });
        if (result.ok) void get().load();
      }),
    ];
    return () => offs.forEach((off) => off());
  },
  async load() {
    try {
      const c = client();
      const [a, p, k] = await Promise.all([c.call('app:accounts:list'), c.call('app:providers:list'), c.call('app:keys:list')]);
      set({ accounts: a.accounts, providers: p.providers, keys: k.entries, loaded: true, error: null });
    } catch (e) {
      set({ error: errorText(e), loaded: true });
    }
  },
  async startSignIn(provider, opts = {}) {
    set({ signIn: { provider, start: null, progress: null, result: null, error: null } });
    try {
      const start = await client().call('app:accounts:sign-in-start', { provider, ...opts });
      const s = get().signIn;
      if (s?.provider === provider && !s.start) set({ signIn: { ...s, start, progress: s.progress?.flowId === start.flowId ? s.progress : null, result: s.result?.flowId === start.flowId ? s.result : null } });
      // The desktop engine opens the system browser itself; a browser panel (HTTP) opens a tab.
      if (start.authorizeUrl && !opts.mode && client().kind === 'http') window.open(start.authorizeUrl, '_blank', 'noopener,noreferrer');
    } catch (e) {
      set({ signIn: { provider, start: null, progress: null, result: null, error: errorText(e) } });
    }
  },
  async pasteRedirect(url) {
    const flowId = get().signIn?.start?.flowId;
    if (!flowId) return null;
    try {
      await client().call('app:accounts:sign-in-paste-redirect', { flowId, redirectUrl: url });
      return null;
    } catch (e) {
      return errorText(e);
    }
  },
  async cancelSignIn() {
    const flowId = get().signIn?.start?.flowId;
    set({ signIn: null });
    if (flowId) await client().call('app:accounts:sign-in-cancel', { flowId }).catch(() => undefined);
  },
  closeSignIn() {
    set({ signIn: null });
  },
  async remove(id) {
    await client().call('app:accounts:remove', { id });
    set({ accounts: get().accounts.filter((a) => a.id !== id) });
  },
  async setEnabled(id, enabled) {
    const a = await client().call('app:accounts:set-enabled', { id, enabled });
    set({ accounts: replace(get().accounts, a) });
  },
  async update(id, patch) {
    const a = await client().call('app:accounts:update', { id, ...patch });
    set({ accounts: replace(get().accounts, a) });
  },
  async resetCooldown(id) {
    const a = await client().call('app:accounts:reset-cooldown', { id });
    set({ accounts: replace(get().accounts, a) });
  },
  async addKey(input) {
    await client().call('app:keys:add', input);
    await get().load();
  },
  async removeKey(id) {
    await client().call('app:keys:remove', { id });
    await get().load();
  },
  async updateKey(id, patch) {
    const saved = await client().call('app:keys:update', { id, patch });
    await get().load();
    return saved;
  },
  testKey(id, model) {
    return client().call('app:keys:test', model ? { id, model } : { id });
  },
}));
