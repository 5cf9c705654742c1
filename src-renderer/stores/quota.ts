import { create } from 'zustand';
import type { AccountQuota, QuotaSnapshot, QuotaThresholdEvent, QuotaThresholds } from '../../src-shared/domain';
import type { ContractClient } from '../api/client';
import { client, errorText } from './connection';
import { useUi } from './ui';

interface QuotaState {
  accounts: AccountQuota[];
  thresholds: QuotaThresholds;
  at: number;
  loaded: boolean;
  refreshing: boolean;
  error: string | null;
  alerts: QuotaThresholdEvent[];
  /** Last 24 h of traffic per provider (API-key providers show counts instead of meters). */
  byProvider: Record<string, { requests: number; tokens: number }>;
  connect(c: ContractClient): () => void;
  load(): Promise<void>;
  refresh(accountId?: string): Promise<void>;
  setThresholds(t: QuotaThresholds): Promise<void>;
}

/** Updated accounts replace their old entry; new ones are appended (snapshots, not deltas). */
export function mergeQuota(list: AccountQuota[], updated: AccountQuota[]): AccountQuota[] {
  const byId = new Map(updated.map((a) => [a.accountId, a]));
  const out = list.map((a) => byId.get(a.accountId) ?? a);
  for (const a of updated) if (!list.some((x) => x.accountId === a.accountId)) out.push(a);
  return out;
}

export const useQuota = create<QuotaState>()((set, get) => ({
  accounts: [],
  thresholds: { warnPercentLeft: 20, criticalPercentLeft: 5 },
  at: 0,
  loaded: false,
  refreshing: false,
  error: null,
  alerts: [],
  byProvider: {},
  connect(c) {
    void get().load();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const counts = async () => {
      const to = Date.now() + 1;
      try {
        const { points } = await c.call('app:usage:series', { from: to - 86_400_000, to, bucket: 'day', groupBy: 'provider' });
        const out: Record<string, { requests: number; tokens: number }> = Object.create(null);
        for (const p of points) {
          const x = (out[p.key] ??= { requests: 0, tokens: 0 });
          x.requests += p.requests;
          x.tokens += p.totalTokens;
        }
        set({ byProvider: out });
      } catch {
        // counts are a nicety; the meters do not depend on them
      }
    };
    void counts();
    const offs = [
      c.on('app:logs:request-logged', () => {
        pending ??= setTimeout(() => {
          pending = undefined;
          void counts();
        }, 2000);
      }),
      () => clearTimeout(pending),
      c.on('app:quota:updated', ({ accounts, at }) => set({ accounts: mergeQuota(get().accounts, accounts), at })),
      c.on('app:quota:threshold', (ev) => set({ alerts: [ev, ...get().alerts].slice(0, 20) })),
      // Accounts come and go: keep the meter list in step.
      c.on('app:accounts:changed', () => void get().load()),
    ];
    return () => offs.forEach((off) => off());
  },
  async load() {
    try {
      const s: QuotaSnapshot = await client().call('app:quota:get');
      set({ accounts: s.accounts, thresholds: s.thresholds, at: s.at, loaded: true, error: null });
    } catch (e) {
      set({ error: errorText(e), loaded: true });
    }
  },
  async refresh(accountId) {
    set({ refreshing: true });
    try {
      const s = await client().call('app:quota:refresh', accountId ? { accountId } : {});
      set({ accounts: s.accounts, thresholds: s.thresholds, at: s.at, error: null });
    } catch (e) {
      // A failed refresh keeps the last readings on screen and says why.
      useUi.getState().toast('error', errorText(e));
    } finally {
      set({ refreshing: false });
    }
  },
  async setThresholds(t) {
    set({ thresholds: await client().call('app:quota:set-thresholds', t) });
  },
}));
