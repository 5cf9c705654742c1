import { remainingPercent, type QuotaWindow } from './window';

/** Default warnings: 20 % left, then 5 % left. */
export const DEFAULT_THRESHOLDS: readonly number[] = [20, 5];

/** A later reading of the same window belongs to a new period (the window reset in between). */
export function isNewPeriod(prev: QuotaWindow, next: QuotaWindow): boolean {
  // Readings derived from "reset after N s" drift by a few seconds; a real roll-over moves hours.
  if (prev.resetAt !== null && next.resetAt !== null && next.resetAt - prev.resetAt > 60_000) return true;
  // Usage never goes down within a period; a clear drop means it started over.
  return next.usedPercent + 5 < prev.usedPercent;
}

/**
 * Thresholds newly crossed by a reading, given the ones already announced this period.
 * Returns the most severe one crossed (or undefined) and the updated announced set: jumping from
 * 50 % to 3 % left warns once (at 5 %) and marks 20 % as done too.
 */
export function crossThresholds(
  w: QuotaWindow,
  fired: readonly number[],
  thresholds: readonly number[],
): { crossed?: number; fired: number[] } {
  const left = remainingPercent(w);
  const newly = thresholds.filter((t) => left <= t && !fired.includes(t));
  if (newly.length === 0) return { fired: [...fired] };
  return { crossed: Math.min(...newly), fired: [...new Set([...fired, ...newly])].sort((a, b) => b - a) };
}
