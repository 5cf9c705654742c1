import type { TFunction } from 'i18next';
import type { AccountQuota, QuotaWindowDto } from '../../../src-shared/domain';

export function percentLeft(w: Pick<QuotaWindowDto, 'usedPercent'>): number {
  return Math.max(0, Math.min(100, 100 - w.usedPercent));
}

/**
 * Credits and extra-usage spend are balances, not windows: an account without purchased credits
 * (or with extra usage switched off) is not out of quota, so they never get a meter or an alarm.
 */
export function isBalance(w: Pick<QuotaWindowDto, 'kind'>): boolean {
  return w.kind === 'credits';
}

/** What a balance line says, as an i18n key and values (Codex credits, Claude extra usage). */
export function balanceText(t: TFunction, w: QuotaWindowDto): string {
  if (w.note) return t('quota.balance.off', { reason: t(`quota.balance.reasons.${w.note}`, { defaultValue: w.note }) });
  if (/unlimited/i.test(w.label)) return t('quota.balance.unlimited');
  if (w.balance !== undefined) return t('quota.balance.amount', { amount: Math.round(w.balance * 100) / 100 });
  if (w.usedPercent >= 100) return w.id === 'extra-usage' ? t('quota.balance.extraOff') : t('quota.balance.none');
  return t('quota.balance.available');
}

/** Whole accounts sorted: subscriptions (their meters) first, by status severity, then label. */
export function subscriptionsFirst<T extends { status: string; label: string }>(list: T[], isKey: (a: T) => boolean): T[] {
  const rank = (a: T) => (isKey(a) ? 1 : 0);
  return [...list].sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
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
      if (isBalance(w)) continue;
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
    .flatMap((account) => account.windows.filter((w) => !isBalance(w)).map((window) => ({ account, window })))
    .sort((a, b) => percentLeft(a.window) - percentLeft(b.window))
    .slice(0, n);
}

const STANDARD: Record<string, number> = { '5h': 18_000, daily: 86_400, weekly: 604_800, monthly: 0 };

function lengthKind(seconds: number): string | null {
  for (const [k, s] of Object.entries(STANDARD)) if (s === seconds && s > 0) return k;
  return null;
}

/**
 * Standard windows get a translated name; model windows "Weekly (opus)" become a translated length
 * plus the model; balances their translated name. Odd lengths keep the engine's label.
 */
export function windowLabel(t: TFunction, w: Pick<QuotaWindowDto, 'kind' | 'label' | 'windowSeconds'> & { id?: string; model?: string }): string {
  const standard = STANDARD;
  if (w.kind === 'credits') return w.id === 'extra-usage' ? t('quota.kinds.extraUsage') : t('quota.kinds.credits');
  if (w.kind === 'per-model' && w.model) {
    const k = lengthKind(w.windowSeconds);
    return k ? t('quota.kinds.modelWindow', { window: t(`quota.kinds.${k}`), model: w.model.replace(/_/g, ' ') }) : w.label;
  }
  if (!(w.kind in standard)) return w.label;
  if (w.kind !== 'monthly' && w.windowSeconds !== 0 && w.windowSeconds !== standard[w.kind]) return w.label;
  return t(`quota.kinds.${w.kind}`);
}

/** Alerts carry the window id and the engine's English label; name the common ones in the UI language. */
export function alertWindowLabel(t: TFunction, id: string, label: string): string {
  if (id === '5h' || id === 'daily' || id === 'weekly' || id === 'monthly') return t(`quota.kinds.${id}`);
  const scoped = /^weekly-(.+)$/.exec(id);
  if (scoped) return t('quota.kinds.modelWindow', { window: t('quota.kinds.weekly'), model: scoped[1].replace(/_/g, ' ') });
  return label;
}
