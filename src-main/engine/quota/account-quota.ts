import type { QuotaAccountInfo } from './source';
import type { QuotaWindow } from './window';

/** One account's meters as the UI and management API show them. */
export interface AccountQuota {
  accountId: string;
  provider: string;
  plan?: string;
  tier?: string;
  windows: QuotaWindow[];
  /** Epoch ms of the latest change. */
  updatedAt: number;
  lastTrafficAt?: number;
  lastPollAt?: number;
  /** Last poll failure in words (cleared by the next success). */
  pollError?: string;
}

export interface QuotaThresholdEvent {
  accountId: string;
  provider: string;
  window: QuotaWindow;
  /** The threshold crossed, in percent left. */
  threshold: number;
  /** `critical` for the lowest configured threshold, `warn` for the others. */
  level: 'warn' | 'critical';
  remainingPercent: number;
}

export interface QuotaResetEvent {
  accountId: string;
  provider: string;
  window: QuotaWindow;
  previous: QuotaWindow;
  /** A warning was announced for the period that just ended (UIs say "recovered" only then). */
  warned: boolean;
}

export interface QuotaBookEvents {
  snapshot: [AccountQuota];
  threshold: [QuotaThresholdEvent];
  reset: [QuotaResetEvent];
}

/** One window and the thresholds already announced for its current period. */
export interface Slot {
  w: QuotaWindow;
  fired: number[];
}

/** The book's mutable record of one account. */
export interface AccountState {
  accountId: string;
  provider: string;
  info: QuotaAccountInfo;
  windows: Map<string, Slot>;
  updatedAt: number;
  lastTrafficAt?: number;
  lastPollAt?: number;
  pollError?: string;
}

export function accountView(e: AccountState): AccountQuota {
  const out: AccountQuota = {
    accountId: e.accountId,
    provider: e.provider,
    windows: [...e.windows.values()].map((s) => ({ ...s.w })).sort(windowOrder),
    updatedAt: e.updatedAt,
  };
  if (e.info.plan) out.plan = e.info.plan;
  if (e.info.tier) out.tier = e.info.tier;
  if (e.lastTrafficAt !== undefined) out.lastTrafficAt = e.lastTrafficAt;
  if (e.lastPollAt !== undefined) out.lastPollAt = e.lastPollAt;
  if (e.pollError) out.pollError = e.pollError;
  return out;
}

const KIND_ORDER: Record<QuotaWindow['kind'], number> = { '5h': 0, daily: 1, weekly: 2, monthly: 3, 'per-model': 4, credits: 5 };

function windowOrder(a: QuotaWindow, b: QuotaWindow): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id.localeCompare(b.id);
}

