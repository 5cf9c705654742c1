import { isRecord, parseDuration } from '../../upstream/failure/headers';
import type { FailureFacts, FailureReader, QuotaFacts, ResetHint } from '../../upstream/failure/types';

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

/** Google's `{error: {code, message, status, details}}`, not some other shape that has a `message`. */
function isGoogleError(f: FailureFacts): f is FailureFacts & { error: Record<string, unknown> } {
  return f.error !== undefined && isRecord(f.json) && f.json.error === f.error;
}

/**
 * Gemini API / Vertex / Code Assist 429s (PROTOCOLS.md §6.5): `RetryInfo.retryDelay`, then
 * `ErrorInfo.metadata.quotaResetDelay` (or `quotaResetTimeStamp`), then "reset after Ns" in the
 * message. `QUOTA_EXHAUSTED` marks a used-up quota rather than a burst limit.
 */
export function googleResetHint(f: FailureFacts): ResetHint | undefined {
  if (!isGoogleError(f)) return undefined;
  const now = f.receivedAt;
  const info = f.details.find((d) => d['@type'] === ERROR_INFO);
  const reason = info && typeof info.reason === 'string' ? info.reason : undefined;
  // Only the explicit reason counts: "Resource has been exhausted (e.g. check quota)" is also a per-minute limit.
  const quotaExhausted = reason === 'QUOTA_EXHAUSTED';

  const retry = f.details.find((d) => d['@type'] === RETRY_INFO);
  if (retry && typeof retry.retryDelay === 'string') {
    const ms = parseDuration(retry.retryDelay);
    if (ms !== undefined) return { until: now + Math.ceil(ms), source: 'google-retry-info', quotaExhausted };
  }
  const meta = info && isRecord(info.metadata) ? info.metadata : undefined;
  if (meta && typeof meta.quotaResetDelay === 'string') {
    const ms = parseDuration(meta.quotaResetDelay);
    if (ms !== undefined) return { until: now + Math.ceil(ms), source: 'google-quota-reset-delay', quotaExhausted };
  }
  if (meta && typeof meta.quotaResetTimeStamp === 'string') {
    const at = Date.parse(meta.quotaResetTimeStamp);
    if (Number.isFinite(at) && at > now) return { until: at, source: 'google-quota-reset-timestamp', quotaExhausted };
  }
  const message = typeof f.error.message === 'string' ? f.error.message : '';
  const m = /reset after (\d+(?:\.\d+)?)\s*s/i.exec(message) ?? /after (\d+(?:\.\d+)?)s\b/i.exec(message);
  if (m) return { until: now + Math.ceil(Number(m[1]) * 1000), source: 'google-message', quotaExhausted };
  return undefined;
}

/**
 * Google `RESOURCE_EXHAUSTED` answers (Gemini CLI, Antigravity). A quota (not a per-minute rate)
 * error names the model and when it comes back: ErrorInfo `metadata.quotaResetTimeStamp` /
 * `quotaResetDelay`, or RetryInfo `retryDelay`. The quota book makes that a full per-model window.
 */
export function googleQuotaFacts(f: FailureFacts): QuotaFacts | undefined {
  if (!isGoogleError(f)) return undefined;
  const err = f.error;
  if ( (err.status !== 'RESOURCE_EXHAUSTED' && Number(err.code) !== 429)) return undefined;
  const now = f.receivedAt;
  let model: string | undefined;
  let resetAt: number | null = null;
  let reason: string | undefined;
  for (const d of f.details) {
    const type = typeof d['@type'] === 'string' ? d['@type'] : '';
    if (type.endsWith('google.rpc.ErrorInfo')) {
      reason = typeof d.reason === 'string' && d.reason ? d.reason : undefined;
      const meta = isRecord(d.metadata) ? d.metadata : {};
      model = typeof meta.model === 'string' && meta.model ? meta.model : model;
      const stamp = typeof meta.quotaResetTimeStamp === 'string' ? Date.parse(meta.quotaResetTimeStamp) : NaN;
      if (Number.isFinite(stamp)) resetAt = stamp;
      const delay = typeof meta.quotaResetDelay === 'string' ? parseDuration(meta.quotaResetDelay) : undefined;
      if (resetAt === null && delay !== undefined) resetAt = now + Math.round(delay);
    } else if (type.endsWith('google.rpc.RetryInfo') && resetAt === null) {
      const delay = typeof d.retryDelay === 'string' ? parseDuration(d.retryDelay) : undefined;
      if (delay !== undefined) resetAt = now + Math.round(delay);
    }
  }
  // Per-minute rate limits say nothing about the quota meter.
  if (reason === 'RATE_LIMIT_EXCEEDED' || !model) return undefined;
  return { resetAt, model, ...(reason ? { reason } : {}) };
}

/** Every Google upstream (Gemini API, Vertex, Gemini CLI, Antigravity) reads its failures this way. */
export const readGoogleFailure: FailureReader = (f) => {
  const hint = googleResetHint(f);
  const quota = f.status === 429 ? googleQuotaFacts(f) : undefined;
  return hint || quota ? { ...(hint ? { hint } : {}), ...(quota ? { quota } : {}) } : undefined;
};
