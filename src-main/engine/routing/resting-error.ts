import type { WireError } from '../protocols/protocol';
import type { CooldownEntry } from './cooldown-book';
import { formatSeconds } from './retry-policy';
import type { Candidate } from './types';

/** Cooldown reasons that are the upstream's own rate limit: the only ones answered with 429 + Retry-After. */
export const RATE_LIMITED: ReadonlySet<string> = new Set(['rate-limit', 'quota', 'manual']);

/** Every account that could serve is resting after failures that were not rate limits: 503, no Retry-After. */
export function restingError(model: string, resting: Array<{ candidate: Candidate; entry: CooldownEntry }>, now: number): WireError {
  const seen = new Map<string, { candidate: Candidate; entry: CooldownEntry }>();
  for (const r of resting) {
    const prev = seen.get(r.candidate.account.id);
    if (!prev || r.entry.until < prev.entry.until) seen.set(r.candidate.account.id, r);
  }
  const parts = [...seen.values()].map(
    ({ candidate, entry }) =>
      `${candidate.account.label} failed (${entry.reason}${entry.message ? `: ${entry.message}` : ''}) and rests for ${formatSeconds((entry.until - now) / 1000)}`,
  );
  return {
    status: 503,
    kind: 'overloaded',
    code: 'no_available_account',
    message: `No account can serve model ${model} right now: ${parts.join('; ')}`,
    details: {
      model,
      accounts: [...seen.values()].map(({ candidate, entry }) => ({ id: candidate.account.id, label: candidate.account.label, reason: entry.reason, until: new Date(entry.until).toISOString() })),
    },
  };
}
