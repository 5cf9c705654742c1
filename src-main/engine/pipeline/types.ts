import type { UpstreamFailure } from '../upstream/failure/types';
import type { Account, ProviderId } from '../providers/provider';
import type { IrUsage } from '../ir';
import type { ProtocolId } from '../protocols/protocol';

// Routing's side of the contract lives in routing (routing imports nothing from the pipeline).
export type { Candidate } from '../routing/types';
export type { AttemptOutcome, FailureVerdict, Resolution, RouteSession, RoutingService } from '../routing/contract';

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

export interface CredentialSource {
  get(account: Account): Promise<string>;
  /**
   * The credential when it is at hand without waiting (a configured key), else undefined (then
   * `get`): the hot path skips a promise per attempt for API-key accounts.
   */
  peek?(account: Account): string | undefined;
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
