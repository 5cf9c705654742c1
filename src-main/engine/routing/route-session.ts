import type { WireError } from '../protocols/protocol';
import type { AttemptOutcome, FailureVerdict, Resolution, RouteSession, SkippedCandidate } from './contract';
import { indexOfAccount, MovedToFront, type Ordering } from './ordering';
import type { Candidate } from './types';

/** What a session needs from the long-lived routing layer (cooldowns, rotation, bindings). */
export interface SessionHost {
  /** Usable candidates, best first; `advance` moves the rotation (once per pass, never for peeks). */
  order(resolution: Resolution, advance: boolean): Ordering;
  /** The account a conversation is bound to, if any and still bound. */
  boundAccount(session: string): string | undefined;
  bind(session: string, accountId: string): void;
  /** Book an outcome; `retryAfterMs` is a bare Retry-After that set no cooldown. */
  judge(candidate: Candidate, outcome: AttemptOutcome, model: string): { verdict: FailureVerdict; retryAfterMs?: number };
  maxCredentialsPerPass(): number;
  nextPassDelay(candidates: readonly Candidate[], pass: number, lastRetryAfterMs: number | undefined): number | undefined;
  allBlocked(resolution: Resolution): WireError & { retryAfterSeconds?: number };
  skipped(resolution: Resolution): SkippedCandidate[];
}

/**
 * One request's walk through its candidates. A pass orders them once (the rotation moves once
 * per pass; a conversation bound by session affinity goes first and leaves the rotation alone),
 * hands them out up to `max-retry-credentials`, and `wait()` says whether another pass is worth it.
 */
export class RequestRoute implements RouteSession {
  private pass = 0;
  /** This pass's order, read lazily: position `taken` is next, up to `end` (the per-pass cap). */
  private queue: Ordering | undefined;
  private taken = 0;
  private end = 0;
  private lastRetryAfterMs: number | undefined;

  constructor(
    private readonly host: SessionHost,
    readonly resolution: Resolution,
    /** The conversation's key when session affinity is on. */
    private readonly conversation?: string,
  ) {}

  next(): Candidate | undefined {
    if (!this.queue) {
      this.queue = this.stickyOrder() ?? this.host.order(this.resolution, true);
      this.taken = 0;
      this.end = Math.min(this.queue.length, this.host.maxCredentialsPerPass() || this.queue.length);
    }
    return this.taken < this.end ? this.queue.at(this.taken++) : undefined;
  }

  /** The conversation's account first when it is usable; the rotation is left alone for it. */
  private stickyOrder(): Ordering | undefined {
    const bound = this.conversation ? this.host.boundAccount(this.conversation) : undefined;
    if (!bound) return undefined;
    const peek = this.host.order(this.resolution, false);
    const i = indexOfAccount(peek, bound);
    return i < 0 ? undefined : new MovedToFront(peek, i);
  }

  report(candidate: Candidate, outcome: AttemptOutcome): FailureVerdict {
    const { verdict, retryAfterMs } = this.host.judge(candidate, outcome, this.resolution.model);
    if (outcome.ok && this.conversation) this.host.bind(this.conversation, candidate.account.id);
    if (retryAfterMs !== undefined) this.lastRetryAfterMs = retryAfterMs;
    return verdict;
  }

  wait(): number | undefined {
    const delay = this.host.nextPassDelay(this.resolution.candidates, this.pass, this.lastRetryAfterMs);
    if (delay !== undefined) {
      this.pass++;
      this.queue = undefined;
    }
    return delay;
  }

  hasFree(): boolean {
    return this.host.order(this.resolution, false).length > 0;
  }

  allBlocked(): WireError & { retryAfterSeconds?: number } {
    return this.host.allBlocked(this.resolution);
  }

  skipped(): SkippedCandidate[] {
    return this.host.skipped(this.resolution);
  }
}
