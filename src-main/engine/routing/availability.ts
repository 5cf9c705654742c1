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

/**
 * At most this many left-out candidates are named per request: a pool of 1,000 keys with half of
 * them resting must not write 500 reasons into every request's record (the history keeps 20 of a
 * request's accounts anyway).
 */
export const MAX_SKIPPED_LISTED = 20;

/**
 * Of `candidates` (those the split left out), the ones ordering passes over, and why (request log):
 * in list order, at most `MAX_SKIPPED_LISTED`, and when there are more, the one free soonest
 * (`soonest`, known to the split) is always among them, so the record's retry time stays exact.
 */
export function skippedCandidates(candidates: readonly Candidate[], d: AvailabilityDeps, soonest?: Candidate): SkippedCandidate[] {
  const out: SkippedCandidate[] = [];
  const capped = candidates.length > MAX_SKIPPED_LISTED;
  let soonestListed = soonest === undefined;
  for (const c of candidates) {
    if (capped && !soonestListed && out.length === MAX_SKIPPED_LISTED - 1) {
      // The last place goes to the one free soonest; it comes later in the list, so order holds.
      const s = skippedEntry(soonest!, d);
      if (s) out.push(s);
      break;
    }
    if (capped && out.length >= MAX_SKIPPED_LISTED) break;
    const s = skippedEntry(c, d);
    if (!s) continue;
    out.push(s);
    if (c === soonest) soonestListed = true;
  }
  return out;
}

/** Why one candidate is passed over, or undefined when it is usable after all. */
function skippedEntry(c: Candidate, d: AvailabilityDeps): SkippedCandidate | undefined {
  if (c.account.disabled) return { candidate: c, reason: 'disabled' };
  const b = d.authBlocks.get(c.account);
  if (b) return { candidate: c, reason: `${b.kind === 'needs-sign-in' ? 'needs sign-in' : 'invalid key'} (upstream ${b.status}${b.message ? `: ${b.message}` : ''})` };
  const e = d.book.isDisabled() ? undefined : d.book.entryFor(c.account.id, c.upstreamModel);
  if (!e) return undefined;
  const left = formatSeconds((e.until - d.now) / 1000);
  return { candidate: c, reason: `cooling until ${new Date(e.until).toISOString()} (${left} left; ${e.reason}${e.message ? `: ${e.message}` : ''})`, until: e.until };
}
