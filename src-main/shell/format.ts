/** Human strings for menus, tooltips and notifications. */

/** "2h 13m", "3d 4h", "45m", "now". */
export function countdown(resetAt: number | null, now: number): string {
  if (resetAt === null) return '';
  const s = Math.max(0, Math.round((resetAt - now) / 1000));
  if (s < 60) return 'now';
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (d > 0) return `${d}d ${h % 24}h`;
  if (h > 0) return `${h}h ${m % 60}m`;
  return `${m}m`;
}

export function percent(n: number): string {
  return `${Math.round(Math.min(100, Math.max(0, n)))}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
