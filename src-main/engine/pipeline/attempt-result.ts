import type { IrUsage } from '../ir';
import type { WireError } from '../protocols/protocol';
import { failureOf } from '../upstream/failure/parse';
import type { UpstreamNetworkError } from './send-upstream';
import type { Candidate, FailureVerdict } from './types';
import type { PipelineDeps } from './generate';

export type AttemptResult =
  | { served: true; usage?: IrUsage; status: number; error?: string }
  | {
      served: false;
      error: WireError;
      final: boolean;
      /** Upstream HTTP status (0 = no answer); undefined when no call was made. */
      upstreamStatus?: number;
      /** Why this account failed, for the request log. */
      reason: string;
      upstreamMessage?: string;
      retryAt?: number;
    };

export type AttemptFailure = Extract<AttemptResult, { served: false }>;

/** Verdict details as the request log wants them. */
export function failureDetails(verdict: FailureVerdict, fallback: string): Pick<AttemptFailure, 'reason' | 'upstreamMessage' | 'retryAt'> {
  const out: Pick<AttemptFailure, 'reason' | 'upstreamMessage' | 'retryAt'> = { reason: verdict.reason ?? fallback };
  if (verdict.upstreamMessage) out.upstreamMessage = verdict.upstreamMessage;
  if (verdict.retryAt !== undefined) out.retryAt = verdict.retryAt;
  return out;
}

/**
 * No usable answer (reset, stall, deadline, body over the cap): tell routing and fail over.
 * `upstreamStatus` is the status whose body broke (D6), 0 when none came.
 */
export function networkFailure(deps: Pick<PipelineDeps, 'routing'>, c: Candidate, net: UpstreamNetworkError, upstreamStatus = 0): AttemptFailure {
  if (net.kind === 'aborted') return { served: false, error: { status: 499, message: net.message }, final: true, upstreamStatus, reason: 'client went away' };
  const verdict = deps.routing.report(c, { ok: false, failure: failureOf({ status: 0, network: net.kind === 'timeout' ? 'timeout' : net.kind === 'too-large' ? 'too-large' : 'unreachable', message: net.message, now: Date.now() }) });
  const error: WireError = { status: net.status, message: net.message, kind: net.kind === 'timeout' ? 'timeout' : 'upstream' };
  if (net.kind === 'too-large') error.code = 'upstream_body_too_large';
  return { served: false, error, final: false, upstreamStatus, ...failureDetails(verdict, net.message), reason: net.message, upstreamMessage: net.message };
}

