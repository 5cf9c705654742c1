import type { LogEntry, Status } from '../../../src-shared/domain';

export type Trouble = { kind: 'blocked'; blocked: number; usable: number } | { kind: 'unreachable'; failures: number; message: string | null } | null;

const UNREACHABLE = new Set(['network', 'timeout', 'upstream']);

/**
 * What the dashboard banner warns about: most usable accounts blocked (cooling, signed out,
 * erroring), or the last few requests all failing to reach the upstream.
 */
export function trouble(status: Status, recent: LogEntry[], now: number): Trouble {
  const usable = status.accounts.total - status.accounts.disabled;
  const blocked = status.accounts.cooling + status.accounts.needsSignIn;
  const last = recent.filter((e) => now - e.time < 10 * 60_000).slice(0, 3);
  if (last.length === 3 && last.every((e) => e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504 || UNREACHABLE.has(e.errorClass ?? ''))) {
    return { kind: 'unreachable', failures: last.length, message: last[0].upstreamMessage ?? null };
  }
  if (usable > 0 && blocked * 2 > usable) return { kind: 'blocked', blocked, usable };
  return null;
}
