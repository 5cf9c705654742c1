import { isRecord, parseDuration } from '../../upstream/failure/headers';
import type { FailureFacts, FailureReader, QuotaFacts, ResetHint } from '../../upstream/failure/types';

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

/** Google's `{error: {code, message, status, details}}`, not some other shape that has a `message`. */
function isGoogleError(f: FailureFacts): f is FailureFacts & { error: Record<string, unknown> } {
  return f.error !== undefined && isRecord(f.json) && f.json.error === f.error;
}

/** What google.rpc details say about when and what: ErrorInfo reason / model / reset, RetryInfo delay. */
interface GoogleDetails {
  reason?: string;
  model?: string;
  /** RetryInfo `retryDelay`, ms. */
  retryDelayMs?: number;
  /** ErrorInfo `metadata.quotaResetDelay`, ms. */
  resetDelayMs?: number;
  /** ErrorInfo `metadata.quotaResetTimeStamp`, epoch ms. */
  resetStamp?: number;
}

function readDetails(details: readonly Record<string, unknown>[]): GoogleDetails {
  const out: GoogleDetails = {};
  for (const d of details) {
    const type = typeof d['@type'] === 'string' ? d['@type'] : '';
    if (type === ERROR_INFO) {
      if (typeof d.reason === 'string' && d.reason) out.reason = d.reason;
      const meta = isRecord(d.metadata) ? d.metadata : {};
      if (typeof meta.model === 'string' && meta.model) out.model = meta.model;
      const delay = typeof meta.quotaResetDelay === 'string' ? parseDuration(meta.quotaResetDelay) : undefined;
      if (delay !== undefined) out.resetDelayMs = delay;
      const stamp = typeof meta.quotaResetTimeStamp === 'string' ? Date.parse(meta.quotaResetTimeStamp) : NaN;
      if (Number.isFinite(stamp)) out.resetStamp = stamp;
    } else if (type === RETRY_INFO && typeof d.retryDelay === 'string') {
      const delay = parseDuration(d.retryDelay);
      if (delay !== undefined) out.retryDelayMs = delay;
    }
  }
  return out;
}

/**
 * Gemini API / Vertex / Code Assist 429s (PROTOCOLS.md §6.5): `RetryInfo.retryDelay`, then
 * `ErrorInfo.metadata.quotaResetDelay` (or `quotaResetTimeStamp`), then "reset after Ns" in the
 * message. `QUOTA_EXHAUSTED` marks a used-up quota rather than a burst limit.
 */
function googleResetHint(f: FailureFacts & { error: Record<string, unknown> }, d: GoogleDetails): ResetHint | undefined {
  const now = f.receivedAt;
  // Only the explicit reason counts: "Resource has been exhausted (e.g. check quota)" is also a per-minute limit.
  const quotaExhausted = d.reason === 'QUOTA_EXHAUSTED';
  if (d.retryDelayMs !== undefined) return { until: now + Math.ceil(d.retryDelayMs), source: 'google-retry-info', quotaExhausted };
  if (d.resetDelayMs !== undefined) return { until: now + Math.ceil(d.resetDelayMs), source: 'google-quota-reset-delay', quotaExhausted };
  if (d.resetStamp !== undefined && d.resetStamp > now) return { until: d.resetStamp, source: 'google-quota-reset-timestamp', quotaExhausted };
  const message = typeof f.error.message === 'string' ? f.error.message : '';
  const m = /reset after (\d+(?:\.\d+)?)\s*s/i.exec(message) ?? /after (\d+(?:\.\d+)?)s\b/i.exec(message);
  if (m) return { until: now + Math.ceil(Number(m[1]) * 1000), source: 'google-message', quotaExhausted };
  return undefined;
}

/**
 * Google `RESOURCE_EXHAUSTED` answers (Gemini CLI, Antigravity). A quota (not a per-minute rate)
 * error names the model and when it comes back: ErrorInfo `quotaResetTimeStamp` / `quotaResetDelay`,
 * or RetryInfo `retryDelay`. The quota book makes that a full per-model window.
 */
function googleQuotaFacts(f: FailureFacts & { error: Record<string, unknown> }, d: GoogleDetails): QuotaFacts | undefined {
  const err = f.error;
  if (err.status !== 'RESOURCE_EXHAUSTED' && Number(err.code) !== 429) return undefined;
  // Per-minute rate limits say nothing about the quota meter.
  if (d.reason === 'RATE_LIMIT_EXCEEDED' || !d.model) return undefined;
  const delay = d.resetDelayMs ?? d.retryDelayMs;
  const resetAt = d.resetStamp ?? (delay !== undefined ? f.receivedAt + Math.round(delay) : null);
  return { resetAt, model: d.model, ...(d.reason ? { reason: d.reason } : {}) };
}

/** Every Google upstream (Gemini API, Vertex, Gemini CLI, Antigravity) reads its failures this way. */
export const readGoogleFailure: FailureReader = (f) => {
  if (!isGoogleError(f)) return undefined;
  const d = readDetails(f.details);
  const hint = googleResetHint(f, d);
  const quota = f.status === 429 ? googleQuotaFacts(f, d) : undefined;
  return hint || quota ? { ...(hint ? { hint } : {}), ...(quota ? { quota } : {}) } : undefined;
};
