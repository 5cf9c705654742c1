import { create } from 'zustand';
import type { LogEntry } from '../../src-shared/domain';
import type { ContractClient } from '../api/client';
import { client, errorText } from './connection';

export interface LogFilters {
  text: string;
  onlyErrors: boolean;
  provider: string;
}

interface LogsState {
  entries: LogEntry[];
  loaded: boolean;
  error: string | null;
  paused: boolean;
  filters: LogFilters;
  selected: LogEntry | null;
  connect(c: ContractClient): () => void;
  load(): Promise<void>;
  setFilters(p: Partial<LogFilters>): void;
  setPaused(p: boolean): void;
  select(e: LogEntry | null): void;
}

const CAP = 500;

export function matches(e: LogEntry, f: LogFilters): boolean {
  if (f.onlyErrors && !(e.errorClass || e.status >= 400 || e.status === 0)) return false;
  if (f.provider && e.provider !== f.provider) return false;
  if (f.text) {
    const t = f.text.toLowerCase();
    const hay = [e.requestedModel, e.upstreamModel, e.accountLabel, e.clientKeyLabel, e.provider, String(e.status), e.errorClass].join(' ').toLowerCase();
    if (!hay.includes(t)) return false;
  }
  return true;
}

export const useLogs = create<LogsState>()((set, get) => ({
  entries: [],
  loaded: false,
  error: null,
  paused: false,
  filters: { text: '', onlyErrors: false, provider: '' },
  selected: null,
  connect(c) {
    void get().load();
    return c.on('app:logs:request-logged', (entry) => {
      if (get().paused) return;
      set({ entries: [entry, ...get().entries.filter((x) => x.id !== entry.id)].slice(0, CAP) });
    });
  },
  async load() {
    try {
      const { entries } = await client().call('app:usage:recent', { limit: 200 });
      set({ entries, loaded: true, error: null });
    } catch (e) {
      set({ error: errorText(e), loaded: true });
    }
  },
  setFilters(p) {
    set({ filters: { ...get().filters, ...p } });
  },
  setPaused(paused) {
    set({ paused });
    if (!paused) void get().load();
  },
  select(selected) {
    set({ selected });
  },
}));
