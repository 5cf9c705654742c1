import { create } from 'zustand';
import type { Status } from '../../src-shared/domain';
import type { ContractClient } from '../api/client';
import { client, errorText } from './connection';
import { useUi } from './ui';

interface StatusState {
  status: Status | null;
  error: string | null;
  busy: boolean;
  connect(c: ContractClient): () => void;
  load(): Promise<void>;
  act(action: 'start' | 'stop' | 'restart'): Promise<void>;
}

export const useStatus = create<StatusState>()((set, get) => ({
  status: null,
  error: null,
  busy: false,
  connect(c) {
    void get().load();
    return c.on('app:status:changed', (status) => set({ status, error: null }));
  },
  async load() {
    try {
      set({ status: await client().call('app:status:get'), error: null });
    } catch (e) {
      set({ error: errorText(e) });
    }
  },
  async act(action) {
    set({ busy: true });
    try {
      const channel = action === 'start' ? 'app:engine:start' : action === 'stop' ? 'app:engine:stop' : 'app:engine:restart';
      set({ status: await client().call(channel), error: null });
    } catch (e) {
      // The server's own words (a headless server says why it cannot stop itself).
      useUi.getState().toast('error', errorText(e));
    } finally {
      set({ busy: false });
    }
  },
}));
