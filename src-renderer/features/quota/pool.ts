import type { TFunction } from 'i18next';
import type { AccountQuota, QuotaWindowDto } from '../../../src-shared/domain';

export function percentLeft(w: Pick<QuotaWindowDto, 'usedPercent'>): number {
  return Math.max(0, Math.min(100, 100 - w.usedPercent));
}

export interface Pool {
  /** `claude · 5h:5-hour`, `gemini-cli · gemini-2.5-pro`, … */
  key: string;
  /** A representative window (for its translated name). */
  window: QuotaWindowDto;
  provider: string;
  label: string;
  accounts: number;
  /** Average percent left across the pooled accounts (what one more request can draw on). */
  left: number;
  earliestResetAt: number | null;
}

/**
 * Capacity per model family: windows scoped to a model pool by model; others by provider and
 * window kind. Disabled / needs-sign-in accounts do not add capacity.
 */
export function pools(accounts: AccountQuota[]): Pool[] {
  const by = new Map<string, { provider: string; label: string; window: QuotaWindowDto; lefts: number[]; resets: number[] }>();
  for (const a of accounts) {
    if (a.status === 'disabled' || a.status === 'needs-sign-in') continue;
    for (const w of a.windows) {
      if (w.kind === 'credits') continue;
      const key = w.model ? `${a.provider} · ${w.model}` : `${a.provider} · ${w.kind}:${w.label}`;
      const p = by.get(key) ?? { provider: a.provider, label: w.model ?? w.label, window: w, lefts: [], resets: [] };
      p.lefts.push(percentLeft(w));
      if (w.resetAt) p.resets.push(w.resetAt);
      by.set(key, p);
    }
  }
  return [...by.entries()]
    .map(([key, p]) => ({
      key,
      provider: p.provider,
      label: p.label,
      window: p.window,
      accounts: p.lefts.length,
      left: Math.round(p.lefts.reduce((s, x) => s + x, 0) / p.lefts.length),
      earliestResetAt: p.resets.length ? Math.min(...p.resets) : null,
    }))
    .sort((a, b) => a.left - b.left || a.key.localeCompare(b.key));
}

/** The n windows with the least left, across every account (dashboard). */
export function tightestWindows(accounts: AccountQuota[], n: number): Array<{ account: AccountQuota; window: QuotaWindowDto }> {
  return accounts
    .filter((a) => a.status !== 'disabled')
    .flatMap((account) => account.windows.filter((w) => w.kind !== 'credits').map((window) => ({ account, window })))
    .sort((a, b) => percentLeft(a.window) - percentLeft(b.window))
    .slice(0, n);
}

/** Standard windows get a translated name; model and odd-length windows keep the engine's label. */
export function windowLabel(t: TFunction, w: Pick<QuotaWindowDto, 'kind' | 'label' | 'windowSeconds'>): string {
  const standard = { '5h': 18_000, daily: 86_400, weekly: 604_800, monthly: 0 } as Record<string, number>;
  if (!(w.kind in standard)) return w.label;
  if (w.kind !== 'monthly' && w.windowSeconds !== 0 && w.windowSeconds !== standard[w.kind]) return w.label;
  return t(`quota.kinds.${w.kind}`);
}
