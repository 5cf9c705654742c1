import type { Account, ProviderId } from '../providers/provider';
import type { IrReasoningEffort, IrUsage } from '../ir';
import type { ProtocolId, WireError } from '../protocols/protocol';
import type { UpstreamFailure } from '../upstream/failure/types';

/** One way to serve a request: an account and the model name its upstream knows. */
export interface Candidate {
  account: Account;
  upstreamModel: string;
  /** The model id the client used (alias or prefixed id), shown back to it. */
  clientModel: string;
  /** Reasoning attached to this route (alias level or a suffix in the upstream name). */
  reasoning?: { effort?: IrReasoningEffort; budget?: number; auto?: boolean };
}

export interface Resolution {
  /** Requested model with any thinking suffix removed. */
  model: string;
  candidates: Candidate[];
  /** Reasoning asked through a `model(high)` / `model(8192)` suffix. */
  reasoning?: { effort?: IrReasoningEffort; budget?: number; auto?: boolean };
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

/** One account a request tried or passed over, and why (request log, issue 17). */
export interface TriedAccount {
  accountId: string;
  accountLabel?: string;
  provider: string;
  outcome: 'ok' | 'failed' | 'skipped';
  /** Upstream HTTP status (0 = no answer) of a failed try. */
  status?: number;
  reason: string;
}

/** The routing layer as the pipeline sees it (model resolution, ordering, cooldowns). */
export interface RoutingService {
  /** `request` lets session affinity find the conversation (headers, body). */
  resolve(model: string, request?: { headers?: Record<string, string | string[] | undefined>; body?: unknown }): Resolution | undefined;
  /** Is any candidate free right now? (Does not move the rotation.) */
  hasFree(resolution: Resolution): boolean;
  /** Client-visible model ids some usable account can serve, with the provider that serves each. */
  listModels(): Array<{ id: string; provider: ProviderId }>;
  /** The message for a model nothing serves (says how to add an account when there is none). */
  unservedMessage?(model: string): string;
  /** Candidates to try, best first, cooling ones removed. */
  order(resolution: Resolution): Candidate[];
  /**
   * No candidate can serve: the answer to send. 429 + retry-after for real rate limits, 401/403
   * naming the account when credentials were rejected (no retry-after then).
   */
  allCooling(resolution: Resolution): WireError & { retryAfterSeconds?: number };
  /** Candidates `order` leaves out and why (cooling until …, needs sign-in, invalid key, disabled). */
  skipped?(resolution: Resolution): Array<{ candidate: Candidate; reason: string; until?: number }>;
  report(candidate: Candidate, outcome: AttemptOutcome): FailureVerdict;
  /** Longest wait (ms) worth sleeping for the next free candidate before another pass, or undefined. */
  nextPassDelay(resolution: Resolution, pass: number): number | undefined;
  /** Cap on accounts tried per pass (0 = all). */
  maxCredentialsPerPass(): number;
  /** Payload rules applied to the encoded upstream body. */
  applyPayloadRules(
    body: Record<string, unknown>,
    ctx: { model: string; protocol: ProtocolId; clientModel?: string; provider?: ProviderId },
  ): Record<string, unknown>;
  hasPayloadRules(): boolean;
}

export interface CredentialSource {
  get(account: Account): Promise<string>;
  /** A 401 came back: refresh once. Resolves true when a new credential is available. */
  refreshAfterUnauthorized(account: Account): Promise<boolean>;
}

/** What happened to one client request, for usage records, quota and the request log. */
export interface RequestRecord {
  requestId: string;
  time: number;
  clientKeyLabel?: string;
  inboundFormat: ProtocolId;
  operation: 'generate' | 'count-tokens' | 'embed' | 'image';
  provider?: ProviderId;
  accountId?: string;
  accountLabel?: string;
  requestedModel: string;
  upstreamModel?: string;
  stream: boolean;
  status: number;
  errorClass?: string;
  errorMessage?: string;
  usage?: IrUsage;
  latencyMs: number;
  ttftMs?: number;
  attempts: number;
  /** The last upstream HTTP status seen (0 = no answer: reset, timeout). */
  upstreamStatus?: number;
  /** The upstream's own error message (at most 500 characters). */
  upstreamMessage?: string;
  /** When a rate-limited / cooling account is usable again (epoch ms). */
  retryAt?: number;
  /** Every account tried or skipped, in order, with why. */
  tried?: TriedAccount[];
}

export interface PipelineObserver {
  /** Every upstream response's headers (quota windows are read from them). */
  onUpstreamHeaders?(account: Account, status: number, headers: Record<string, string | string[] | undefined>): void;
  /** Every failed answer, parsed once (the quota book reads its quota facts). */
  onUpstreamError?(account: Account, failure: UpstreamFailure): void;
  onRequestDone?(record: RequestRecord): void;
}
