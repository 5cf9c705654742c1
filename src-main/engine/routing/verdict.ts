import type { AttemptOutcome, FailureVerdict } from './contract';
import type { AuthBlocks } from './auth-blocks';
import type { CooldownBook } from './cooldown-book';
import { classifyFailure } from './failure-classifier';
import type { Candidate, FailureClassification } from './types';

export interface JudgeDeps {
  book: CooldownBook;
  authBlocks: AuthBlocks;
  now: number;
  /** `transient-error-cooldown-seconds` in ms (undefined = default, 0 = off). */
  transientCooldownMs?: number;
  onFailure?: (candidate: Candidate, c: FailureClassification) => void;
  onCooldownsChanged?: () => void;
}

/**
 * Book one attempt's outcome: a success clears the account's rest and block; a failure is
 * classified, cools the (account × model) or blocks a rejected credential, and becomes the
 * verdict the pipeline acts on. `retryAfterMs`: a bare Retry-After that set no cooldown.
 */
export function judgeOutcome(candidate: Candidate, outcome: AttemptOutcome, model: string, d: JudgeDeps): { verdict: FailureVerdict; retryAfterMs?: number } {
  const { account, upstreamModel } = candidate;
  if (outcome.ok) {
    d.book.markSuccess(account.id, upstreamModel);
    d.authBlocks.clear(account.id);
    return { verdict: { final: false } };
  }
  const { failure } = outcome;
  const c = classifyFailure({ failure, accountKind: account.kind, now: d.now, transientCooldownMs: d.transientCooldownMs });
  const verdict: FailureVerdict = { final: !c.retryOtherAccounts };
  if (c.refreshCredential) verdict.refresh = true;
  if (c.message) verdict.upstreamMessage = c.message;
  if (c.kind === 'auth' && c.credentialRejected) {
    // A rejected credential does not get better by waiting: blocked until it changes. Marked even
    // when a refresh follows: the refreshed retry's success (or new token) lifts it again.
    const b = d.authBlocks.block(candidate, failure.status, model, c.message, d.now);
    verdict.reason = `${b.kind === 'needs-sign-in' ? 'needs sign-in' : 'invalid key'} (upstream ${failure.status})`;
    d.onFailure?.(candidate, c);
    d.onCooldownsChanged?.();
    return { verdict };
  }
  // Marked even when a refresh follows: the refreshed retry's success clears it again.
  const entry = d.book.markFailure(account.id, upstreamModel, c, { disableCooling: account.meta?.disableCooling === true });
  const retryAfterMs = c.cooldownUntil !== undefined && !entry ? Math.max(0, c.cooldownUntil - d.now) : undefined;
  d.onFailure?.(candidate, c);
  const what = failure.status ? `upstream ${failure.status}` : c.kind;
  if (entry) {
    verdict.retryAt = entry.until;
    verdict.reason = `${what}, ${c.kind}: cooling until ${new Date(entry.until).toISOString()}`;
  } else verdict.reason = `${what}, ${c.kind}`;
  return retryAfterMs === undefined ? { verdict } : { verdict, retryAfterMs };
}
