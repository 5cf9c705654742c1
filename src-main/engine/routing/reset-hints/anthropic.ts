import { epochToMs, header, type HeaderBag, type ResetHint } from './common';

const PREFIX = 'anthropic-ratelimit-unified-';

/**
 * Claude subscription limits (PROTOCOLS.md §6.5): each window `<w>` (5h, 7d, 7d_oi, …) has
 * `-<w>-status` (allowed | allowed_warning | rejected) and `-<w>-reset` (epoch seconds); there is
 * also an overall `-status` / `-reset`. The account is free again when the LAST rejected window
 * resets. No random jitter: the account should come back exactly when its window does.
 * API-key accounts also get `anthropic-ratelimit-{requests,tokens,…}-reset` as RFC 3339 times.
 */
export function parseAnthropicResetHint(headers: HeaderBag | undefined, now: number): ResetHint | undefined {
  if (!headers) return undefined;
  let latest: number | undefined;
  const windows = new Set<string>();
  for (const name of Object.keys(headers)) {
    const m = new RegExp(`^${PREFIX}(.+)-status$`, 'i').exec(name);
    if (m) windows.add(m[1].toLowerCase());
  }
  for (const w of windows) {
    if (header(headers, `${PREFIX}${w}-status`)?.trim().toLowerCase() !== 'rejected') continue;
    const at = epochHeader(header(headers, `${PREFIX}${w}-reset`));
    if (at !== undefined && at > now) latest = Math.max(latest ?? 0, at);
  }
  if (header(headers, `${PREFIX}status`)?.trim().toLowerCase() === 'rejected') {
    const at = epochHeader(header(headers, `${PREFIX}reset`));
    if (at !== undefined && at > now) latest = Math.max(latest ?? 0, at);
  }
  if (latest !== undefined) return { until: latest, source: 'anthropic-unified', quotaExhausted: true };

  // Standard API rate-limit headers: the exhausted bucket's reset (remaining 0), else none.
  for (const bucket of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    if (header(headers, `anthropic-ratelimit-${bucket}-remaining`)?.trim() !== '0') continue;
    const at = Date.parse(header(headers, `anthropic-ratelimit-${bucket}-reset`) ?? '');
    if (Number.isFinite(at) && at > now) latest = Math.max(latest ?? 0, at);
  }
  return latest !== undefined ? { until: latest, source: 'anthropic-ratelimit' } : undefined;
}

function epochHeader(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return epochToMs(Number(t));
  const at = Date.parse(t);
  return Number.isFinite(at) ? at : undefined;
}
