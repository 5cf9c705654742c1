import type { WireError } from '../protocols/protocol';
import { authBlockedError, type AuthBlock, type AuthBlocks } from './auth-blocks';
import type { Resolution, SkippedCandidate } from './contract';
import type { CooldownBook, CooldownEntry } from './cooldown-book';
import { RATE_LIMITED, restingError } from './resting-error';
import { formatSeconds, type RetryPolicy } from './retry-policy';
import type { Candidate } from './types';

export interface AvailabilityDeps {
  book: CooldownBook;
  authBlocks: AuthBlocks;
  policy: RetryPolicy;
  now: number;
}

/**
 * Nothing can serve: 401/403 naming the accounts when every one that could is blocked for a
 * rejected credential (no Retry-After: waiting will not help), else the cooling answer.
 */
export function allBlockedError(resolution: Resolution, d: AvailabilityDeps): WireError & { retryAfterSeconds?: number } {
  const usable = resolution.candidates.filter((c) => !c.account.disabled);
  const blocks = new Map<string, AuthBlock>();
  const resting: Array<{ candidate: Candidate; entry: CooldownEntry }> = [];
  for (const c of usable) {
    const b = d.authBlocks.get(c.account);
    if (b) blocks.set(b.accountId, b);
    else {
      const entry = d.book.isDisabled() ? undefined : d.book.entryFor(c.account.id, c.upstreamModel);
      if (entry) resting.push({ candidate: c, entry });
    }
  }
  if (blocks.size && resting.length === 0) return authBlockedError(resolution.model, [...blocks.values()]);
  // Retry-After only for real rate limits: accounts resting after 5xx, resets or timeouts get a 503.
  if (resting.length && !resting.some((r) => RATE_LIMITED.has(r.entry.reason))) return restingError(resolution.model, resting, d.now);
  return d.policy.allCoolingError(resolution.model, resolution.candidates.filter((c) => !d.authBlocks.get(c.account)));
}

/** Of `candidates`, the ones ordering leaves out, and why (for the request log). */
export function skippedCandidates(candidates: readonly Candidate[], d: AvailabilityDeps): SkippedCandidate[] {
  const out: SkippedCandidate[] = [];
  for (const c of candidates) {
    if (c.account.disabled) {
      out.push({ candidate: c, reason: 'disabled' });
      continue;
    }
    const b = d.authBlocks.get(c.account);
    if (b) {
      out.push({ candidate: c, reason: `${b.kind === 'needs-sign-in' ? 'needs sign-in' : 'invalid key'} (upstream ${b.status}${b.message ? `: ${b.message}` : ''})` });
      continue;
    }
    const e = d.book.isDisabled() ? undefined : d.book.entryFor(c.account.id, c.upstreamModel);
    if (e) {
      const left = formatSeconds((e.until - d.now) / 1000);
      out.push({ candidate: c, reason: `cooling until ${new Date(e.until).toISOString()} (${left} left; ${e.reason}${e.message ? `: ${e.message}` : ''})`, until: e.until });
    }
  }
  return out;
}
