/** Human strings for menus, tooltips and notifications (localised through `ShellStrings`). */
import { shellStrings, type ShellStrings } from './i18n';

const EN = shellStrings('en');

/** "2h 13m", "3d 4h", "45m", "now" (or their translation). */
export function countdown(resetAt: number | null, now: number, t: Pick<ShellStrings, 'duration' | 'now'> = EN): string {
  if (resetAt === null) return '';
  const s = Math.max(0, Math.round((resetAt - now) / 1000));
  if (s < 60) return t.now;
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  return t.duration(d, h % 24, m % 60);
}

export function percent(n: number): string {
  return `${Math.round(Math.min(100, Math.max(0, n)))}%`;
}

/** Percent left of a window given its percent used. */
export function percentLeft(usedPercent: number): string {
  return percent(100 - usedPercent);
}
