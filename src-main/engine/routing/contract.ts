import type { ProtocolId, WireError } from '../protocols/protocol';
import type { ProviderId } from '../providers/provider';
import type { Candidate, SuffixReasoning } from './types';
import type { HeaderBag, UpstreamFailure } from '../upstream/failure/types';

/** The candidates for one requested model, best route facts included. */
export interface Resolution {
  /** Requested model with any thinking suffix removed. */
  model: string;
  candidates: Candidate[];
  /** Reasoning asked through a `model(high)` / `model(8192)` suffix. */
  reasoning?: SuffixReasoning;
}

/** How an attempt ended, as the routing layer needs to hear it. */
export type AttemptOutcome =
  | { ok: true }
  /** Any failure: an HTTP error answer, no answer (`failure.network`), or a 2xx that turned out broken. */
  | { ok: false; failure: UpstreamFailure };

export interface FailureVerdict {
  /** Send the client this error at once (invalid request): no other account is tried. */
  final: boolean;
  /** Ask the token cache for a fresh token and retry the same account once. */
  refresh?: boolean;
  /** Why, in words for the request log (`rate limited until …`, `key rejected`). */
  reason?: string;
  /** When the account (× model) is usable again, epoch ms, when it rests. */
  retryAt?: number;
  /** The upstream's own error message, trimmed. */
  upstreamMessage?: string;
}

/** A candidate the session passes over, and why (request log). */
export interface SkippedCandidate {
  candidate: Candidate;
  reason: string;
  until?: number;
}

/** What `begin` may know about the request. */
export interface BeginContext {
  /** The client's headers and body: `routing.session-affinity` finds the conversation there. */
  headers?: HeaderBag;
  body?: unknown;
  /** Only these candidates can do the operation (embeddings, images, token counting). */
  capable?: (c: Candidate) => boolean;
  /**
   * Names what `capable` checks when its answer depends only on the candidate's account (its
   * provider): the narrowed list is then kept per candidate list and reused, so the request
   * neither filters nor re-splits the whole pool.
   */
  capability?: string;
}

/**
 * One client request's route: every piece of per-request state (pass, rotation step, last
 * Retry-After, conversation) lives here and dies with the request.
 */
export interface RouteSession {
  /** The model and its candidates (narrowed to the capable ones). */
  readonly resolution: Resolution;
  /**
   * The next candidate to try in this pass, or undefined when the pass ran dry. The first call
   * of a pass orders the candidates (moving the rotation once); `wait()` opens the next pass.
   */
  next(): Candidate | undefined;
  /** The single door through which attempt outcomes enter routing: cooldowns, blocks, affinity. */
  report(candidate: Candidate, outcome: AttemptOutcome): FailureVerdict;
  /** A pass ran dry: ms to wait before the next one, or undefined to give up. */
  wait(): number | undefined;
  /** Is any candidate usable right now? (Moves nothing.) */
  hasFree(): boolean;
  /**
   * No candidate can serve: 429 + retry-after for real rate limits, 401/403 naming the account
   * when credentials were rejected (no retry-after then), 503 when they rest after failures.
   */
  allBlocked(): WireError & { retryAfterSeconds?: number };
  /** Candidates left out and why (cooling until …, needs sign-in, invalid key, disabled). */
  skipped(): SkippedCandidate[];
}

/** The routing layer as the pipeline sees it. Queries never move a rotation; only sessions do. */
export interface RoutingService {
  /** A route for one request, or undefined when nothing serves the model. */
  begin(model: string, ctx?: BeginContext): RouteSession | undefined;
  /**
   * The candidates for a model (no session, nothing moves), e.g. to check that it is served.
   * `request` is accepted and ignored: conversations are found by `begin`.
   */
  resolve(model: string, request?: { headers?: HeaderBag; body?: unknown }): Resolution | undefined;
  /** Client-visible model ids some usable account can serve, with the provider that serves each. */
  listModels(): Array<{ id: string; provider: ProviderId }>;
  /** The message for a model nothing serves (says how to add an account when there is none). */
  unservedMessage?(model: string): string;
  /** Payload rules applied to the encoded upstream body. */
  applyPayloadRules(
    body: Record<string, unknown>,
    ctx: { model: string; protocol: ProtocolId; clientModel?: string; provider?: ProviderId },
  ): Record<string, unknown>;
  hasPayloadRules(): boolean;
}
