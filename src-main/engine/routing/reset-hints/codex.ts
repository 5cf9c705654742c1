import { epochToMs, header, isRecord, parseBody, type HeaderBag, type ResetHint } from './common';

/**
 * Codex / ChatGPT backend 429: `{"error":{"type":"usage_limit_reached","resets_at":<unix s>,
 * "resets_in_seconds":N}}`. `resets_at` is absolute and wins; `resets_in_seconds` is the fallback.
 */
export function parseCodexResetHint(body: unknown, now: number): ResetHint | undefined {
  const parsed = parseBody(body);
  if (!isRecord(parsed)) return undefined;
  const err = isRecord(parsed.error) ? parsed.error : parsed;
  const type = typeof err.type === 'string' ? err.type : typeof err.code === 'string' ? err.code : undefined;
  const quotaExhausted = type === 'usage_limit_reached' || type === 'usage_not_included' || type === 'insufficient_quota';
  const at = num(err.resets_at);
  if (at !== undefined && epochToMs(at) > now) return { until: epochToMs(at), source: 'codex-resets-at', quotaExhausted };
  const inSec = num(err.resets_in_seconds);
  if (inSec !== undefined && inSec > 0) return { until: now + Math.ceil(inSec * 1000), source: 'codex-resets-in-seconds', quotaExhausted };
  return undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/**
 * Codex also reports its windows on every response (`x-codex-primary-used-percent`,
 * `-reset-at` epoch s, `-reset-after-seconds`; same for `secondary`). On a 429 without a body hint,
 * the account is free when the last full window (≥ 100 % used) resets.
 */
export function parseCodexHeaderHint(headers: HeaderBag | undefined, now: number): ResetHint | undefined {
  let latest: number | undefined;
  for (const w of ['primary', 'secondary']) {
    const used = num(header(headers, `x-codex-${w}-used-percent`));
    if (used === undefined || used < 100) continue;
    const at = num(header(headers, `x-codex-${w}-reset-at`));
    const after = num(header(headers, `x-codex-${w}-reset-after-seconds`));
    const until = at !== undefined ? epochToMs(at) : after !== undefined ? now + Math.ceil(after * 1000) : undefined;
    if (until !== undefined && until > now) latest = Math.max(latest ?? 0, until);
  }
  return latest !== undefined ? { until: latest, source: 'codex-headers', quotaExhausted: true } : undefined;
}
