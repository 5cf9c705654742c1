/**
 * One quota meter of one account. `kind` comes from the window's length (a Codex Pro account's
 * "primary" window can be the weekly one), never from its position in a provider's answer.
 */
export type QuotaKind = '5h' | 'daily' | 'weekly' | 'monthly' | 'per-model' | 'credits';
/** traffic: read from proxied responses; poll: usage endpoint; local: our own request count. */
export type QuotaSourceKind = 'traffic' | 'poll' | 'local';

export interface QuotaWindow {
  /** Stable per account across sources (`5h`, `weekly`, `model:gemini-2.5-pro`, …). */
  id: string;
  label: string;
  kind: QuotaKind;
  /** Percent used, 0–100. */
  usedPercent: number;
  /** Epoch ms when the window resets; null when unknown. */
  resetAt: number | null;
  /** Window length in seconds; 0 when the provider does not say. */
  windowSeconds: number;
  source: QuotaSourceKind;
  /** Epoch ms of the reading. */
  observedAt: number;
  /** Model (or model family) the window is scoped to. */
  model?: string;
  /** Credits windows: remaining balance in the provider's unit. */
  balance?: number;
  /** Why a balance reads as it does (Claude `overage-disabled-reason`, e.g. `org_level_disabled`). */
  note?: string;
  /** Local windows: what we counted (no provider limit known when `limit` is absent). */
  count?: { requests: number; tokens: number; limit?: number };
}

export const FIVE_HOURS_S = 5 * 3600;
export const DAY_S = 86_400;
export const WEEK_S = 7 * DAY_S;

/** Window length → kind. Generous edges: providers round (300 min, 10080 min, "7d"). */
export function classifyWindow(seconds: number): Exclude<QuotaKind, 'per-model' | 'credits'> {
  if (seconds <= 12 * 3600) return '5h';
  if (seconds <= 2 * DAY_S) return 'daily';
  if (seconds <= 10 * DAY_S) return 'weekly';
  return 'monthly';
}

export function kindLabel(kind: QuotaKind, seconds = 0): string {
  switch (kind) {
    case '5h':
      return seconds > 0 && seconds !== FIVE_HOURS_S ? `${Math.round(seconds / 3600)}-hour` : '5-hour';
    case 'daily':
      return 'Daily';
    case 'weekly':
      return 'Weekly';
    case 'monthly':
      return 'Monthly';
    case 'per-model':
      return 'Model';
    case 'credits':
      return 'Credits';
  }
}

export function clampPercent(n: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.min(100, Math.max(0, n));
}

/** Percent left, what thresholds and UIs speak in. */
export function remainingPercent(w: Pick<QuotaWindow, 'usedPercent'>): number {
  return 100 - clampPercent(w.usedPercent);
}

/** Normalise a parsed window: clamp, round to 0.1 %, drop NaN reset times. */
export function makeWindow(w: QuotaWindow): QuotaWindow {
  const out: QuotaWindow = {
    ...w,
    usedPercent: Math.round(clampPercent(w.usedPercent) * 10) / 10,
    resetAt: w.resetAt !== null && Number.isFinite(w.resetAt) ? Math.round(w.resetAt) : null,
    windowSeconds: Number.isFinite(w.windowSeconds) && w.windowSeconds > 0 ? Math.round(w.windowSeconds) : 0,
  };
  return out;
}

/** Parse a reset time given as epoch seconds, epoch ms, or an ISO string. */
export function parseResetTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e12 ? v * 1000 : v;
  if (typeof v === 'string' && v.trim()) {
    const s = v.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return parseResetTime(Number(s));
    const t = Date.parse(s);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

/** Numbers that may arrive as strings ("42.5"). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
