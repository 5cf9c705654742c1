import { isRecord, parseBody, parseDuration, type ResetHint } from './common';

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

/** Google errors sometimes come wrapped in an array (streaming endpoints). */
function googleError(body: unknown): Record<string, unknown> | undefined {
  const parsed = parseBody(body);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  return isRecord(first) && isRecord(first.error) ? first.error : undefined;
}

/**
 * Gemini API / Vertex / Code Assist 429s (PROTOCOLS.md §6.5): `RetryInfo.retryDelay`, then
 * `ErrorInfo.metadata.quotaResetDelay` (or `quotaResetTimeStamp`), then "reset after Ns" in the
 * message. `QUOTA_EXHAUSTED` marks a used-up quota rather than a burst limit.
 */
export function parseGoogleResetHint(body: unknown, now: number): ResetHint | undefined {
  const err = googleError(body);
  if (!err) return undefined;
  const details = Array.isArray(err.details) ? err.details.filter(isRecord) : [];
  const info = details.find((d) => d['@type'] === ERROR_INFO);
  const reason = info && typeof info.reason === 'string' ? info.reason : undefined;
  const message = typeof err.message === 'string' ? err.message : '';
  // Only the explicit reason counts: "Resource has been exhausted (e.g. check quota)" is also a per-minute limit.
  const quotaExhausted = reason === 'QUOTA_EXHAUSTED';

  const retry = details.find((d) => d['@type'] === RETRY_INFO);
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
  const m = /reset after (\d+(?:\.\d+)?)\s*s/i.exec(message) ?? /after (\d+(?:\.\d+)?)s\b/i.exec(message);
  if (m) return { until: now + Math.ceil(Number(m[1]) * 1000), source: 'google-message', quotaExhausted };
  return undefined;
}

/** The Google status word (`RESOURCE_EXHAUSTED`, `INVALID_ARGUMENT`, …) and ErrorInfo reasons. */
export function googleStatus(body: unknown): { status?: string; reasons: string[]; message?: string } {
  const err = googleError(body);
  if (!err) return { reasons: [] };
  const details = Array.isArray(err.details) ? err.details.filter(isRecord) : [];
  const reasons = details.map((d) => d.reason).filter((r): r is string => typeof r === 'string');
  return {
    status: typeof err.status === 'string' ? err.status : undefined,
    reasons,
    message: typeof err.message === 'string' ? err.message : undefined,
  };
}
