import { create } from 'zustand';
import type { Status } from '../../src-shared/domain';
import type { ContractClient } from '../api/client';
import { client, errorText } from './connection';
import { useUi } from './ui';
import { useSettings } from './settings';
import { followServer } from '../api/follow';
import { i18n } from '../i18n';

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
      const status = await client().call(channel);
      set({ status, error: null });
      if (action === 'restart') useSettings.setState({ restartRequired: false });
      // Headless: the server rebinds after answering; follow it if the port changed.
      if (action === 'restart' && status.mode === 'headless') {
        const port = useSettings.getState().settings?.port;
        useUi.getState().toast('info', i18n.t('settings.restarting'));
        if (port && port !== status.port) void followServer(port);
      }
    } catch (e) {
      // The server's own words (a headless server says why it cannot stop itself).
      useUi.getState().toast('error', errorText(e));
    } finally {
      set({ busy: false });
    }
  },
}));
