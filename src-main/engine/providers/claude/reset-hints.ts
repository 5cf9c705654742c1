import { headerMap, type HeaderBag as AnyHeaders } from '../../quota/source';
import { num, parseResetTime } from '../../quota/window';
import type { FailureReader, HeaderBag, ResetHint } from '../../upstream/failure/types';

const PREFIX = 'anthropic-ratelimit-unified-';
const CLAIM_HEADER = /^anthropic-ratelimit-unified-(.+)-(status|reset|utilization|disabled-reason)$/;

/** One subscription window (`5h`, `7d`, `7d_oi`, `overage`, …) as the unified headers state it. */
export interface UnifiedClaim {
  claim: string;
  /** allowed | allowed_warning | rejected (lower-cased). */
  status?: string;
  /** Fraction used (0–1), as sent. */
  utilization?: number;
  /** Epoch ms the window resets. */
  resetAt: number | null;
  /** Why a claim is off (`org_level_disabled` for extra usage). */
  disabledReason?: string;
}

/**
 * The one reading of Claude's `anthropic-ratelimit-unified-*` headers (PROTOCOLS.md §6.5): per
 * window `-<w>-status`, `-<w>-utilization`, `-<w>-reset` (epoch s), plus the overall `-status` /
 * `-reset`. The quota meters and the reset hint of a 429 both come from here.
 */
export function unifiedClaims(headers: AnyHeaders | Map<string, string>): { claims: Map<string, UnifiedClaim>; status?: string; resetAt: number | null } {
  const h = headers instanceof Map ? headers : headerMap(headers);
  const claims = new Map<string, UnifiedClaim>();
  for (const name of h.keys()) {
    const m = CLAIM_HEADER.exec(name);
    if (!m || claims.has(m[1])) continue;
    const w = `${PREFIX}${m[1]}`;
    const status = h.get(`${w}-status`)?.trim().toLowerCase();
    const utilization = num(h.get(`${w}-utilization`));
    const disabledReason = h.get(`${w}-disabled-reason`);
    claims.set(m[1], {
      claim: m[1],
      resetAt: parseResetTime(h.get(`${w}-reset`)),
      ...(status ? { status } : {}),
      ...(utilization !== undefined ? { utilization } : {}),
      ...(disabledReason ? { disabledReason } : {}),
    });
  }
  const status = h.get(`${PREFIX}status`)?.trim().toLowerCase();
  return { claims, ...(status ? { status } : {}), resetAt: parseResetTime(h.get(`${PREFIX}reset`)) };
}

/**
 * Claude subscription limits: the account is free again when the LAST rejected window resets. No
 * random jitter: the account should come back exactly when its window does. API-key accounts get
 * `anthropic-ratelimit-{requests,tokens,…}-reset` as RFC 3339 times instead.
 */
export function anthropicResetHint(headers: HeaderBag, now: number): ResetHint | undefined {
  const h = headerMap(headers);
  const unified = unifiedClaims(h);
  let latest: number | undefined;
  const rejected = [...unified.claims.values()].filter((c) => c.status === 'rejected').map((c) => c.resetAt);
  if (unified.status === 'rejected') rejected.push(unified.resetAt);
  for (const at of rejected) if (at !== null && at > now) latest = Math.max(latest ?? 0, at);
  if (latest !== undefined) return { until: latest, source: 'anthropic-unified', quotaExhausted: true };

  // Standard API rate-limit headers: the exhausted bucket's reset (remaining 0), else none.
  for (const bucket of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    if (h.get(`anthropic-ratelimit-${bucket}-remaining`)?.trim() !== '0') continue;
    const at = Date.parse(h.get(`anthropic-ratelimit-${bucket}-reset`) ?? '');
    if (Number.isFinite(at) && at > now) latest = Math.max(latest ?? 0, at);
  }
  return latest !== undefined ? { until: latest, source: 'anthropic-ratelimit' } : undefined;
}

/** Claude (subscription and API key) failures: the reset is in the headers; the body never has one. */
export const readAnthropicFailure: FailureReader = (f) => {
  const hint = anthropicResetHint(f.headers, f.receivedAt);
  return hint ? { hint } : undefined;
};
