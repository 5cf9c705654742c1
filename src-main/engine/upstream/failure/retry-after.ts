import { header, parseDuration } from './headers';
import type { HeaderBag, ResetHint } from './types';

/**
 * Generic HTTP hints: `retry-after-ms`, `retry-after` (seconds or an HTTP date) and OpenAI's
 * `x-ratelimit-reset-requests/-tokens` ("1s", "6m0s"). A value of 0 or less is ignored on purpose:
 * some upstreams send `retry-after: 0` on a 429 for hours, and trusting it would hammer them.
 */
export function parseRetryAfter(headers: HeaderBag | undefined, now: number): ResetHint | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim()) && Number(ms) > 0) {
    return { until: now + Math.ceil(Number(ms)), source: 'retry-after-ms' };
  }
  const ra = header(headers, 'retry-after');
  if (ra !== undefined) {
    const v = ra.trim();
    if (/^\d+(\.\d+)?$/.test(v)) {
      if (Number(v) > 0) return { until: now + Math.ceil(Number(v) * 1000), source: 'retry-after' };
    } else {
      const at = Date.parse(v);
      if (Number.isFinite(at) && at > now) return { until: at, source: 'retry-after-date' };
    }
  }
  let latest: number | undefined;
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const d = header(headers, name);
    const dur = d === undefined ? undefined : parseDuration(d);
    if (dur !== undefined && dur > 0) latest = Math.max(latest ?? 0, now + Math.ceil(dur));
  }
  return latest !== undefined ? { until: latest, source: 'x-ratelimit-reset' } : undefined;
}

/** `retry-after-ms` / `retry-after` as a delay in ms (> 0 only), for the failure value. */
export function retryAfterMs(headers: HeaderBag | undefined, now: number): number | undefined {
  const hint = parseRetryAfter(headers, now);
  return hint && hint.source !== 'x-ratelimit-reset' ? hint.until - now : undefined;
}
