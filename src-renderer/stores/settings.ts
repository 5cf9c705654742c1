import { create } from 'zustand';
import type { Settings, SettingsPatch } from '../../src-shared/domain';
import type { ContractClient } from '../api/client';
import { client, errorText } from './connection';

interface SettingsState {
  settings: Settings | null;
  error: string | null;
  restartRequired: boolean;
  /** Secrets the user asked to see, by key id; kept only in memory. */
  revealed: Record<string, string>;
  connect(c: ContractClient): () => void;
  load(): Promise<void>;
  update(p: SettingsPatch): Promise<void>;
  generateKey(): Promise<string>;
  revokeKey(id: string): Promise<void>;
  reveal(id: string): Promise<string>;
  hide(id: string): void;
}

export const useSettings = create<SettingsState>()((set, get) => ({
  settings: null,
  error: null,
  restartRequired: false,
  revealed: {},
  connect(c) {
    void get().load();
    return c.on('app:settings:changed', (settings) => set({ settings }));
  },
  async load() {
    try {
      set({ settings: await client().call('app:settings:get'), error: null });
    } catch (e) {
      set({ error: errorText(e) });
    }
  },
  async update(p) {
    const r = await client().call('app:settings:update', p);
    set({ settings: r.settings, restartRequired: get().restartRequired || r.restartRequired });
  },
  async generateKey() {
    const r = await client().call('app:settings:api-key-generate', {});
    set({ revealed: { ...get().revealed, [r.key.id]: r.secret } });
    await get().load();
    return r.secret;
  },
  async revokeKey(id) {
    await client().call('app:settings:api-key-revoke', { id });
    const { [id]: _gone, ...rest } = get().revealed;
    set({ revealed: rest });
    await get().load();
  },
  async reveal(id) {
    const known = get().revealed[id];
    if (known) return known;
    const { secret } = await client().call('app:settings:api-key-reveal', { id });
    set({ revealed: { ...get().revealed, [id]: secret } });
    return secret;
  },
  hide(id) {
    const { [id]: _gone, ...rest } = get().revealed;
    set({ revealed: rest });
  },
}));
