import { epochToMs, num } from '../../upstream/failure/headers';
import type { FailureFacts, FailureReader, QuotaFacts, ResetHint } from '../../upstream/failure/types';
import { headerMap, type HeaderBag as AnyHeaders } from '../../quota/source';
import { parseResetTime } from '../../quota/window';

/** One `x-codex-[<family>-]{primary|secondary}-*` window as the headers state it. */
export interface CodexHeaderSlot {
  /** Model family (`bengalfox`), absent for the account's main windows. */
  family?: string;
  slot: 'primary' | 'secondary';
  usedPercent: number;
  windowMinutes?: number;
  /** Epoch ms, from `-reset-at` (epoch s) or else `-reset-after-seconds`. */
  resetAt: number | null;
}

const USED = /^x-codex-(?:(.+)-)?(primary|secondary)-used-percent$/;

/**
 * The one reading of Codex's window headers, sent on every answer (`-used-percent`,
 * `-window-minutes`, `-reset-at` epoch s, `-reset-after-seconds`). The quota meters and the
 * reset hint of a 429 both come from here.
 */
export function codexHeaderSlots(headers: AnyHeaders | Map<string, string>, now: number): CodexHeaderSlot[] {
  const h = headers instanceof Map ? headers : headerMap(headers);
  const out: CodexHeaderSlot[] = [];
  for (const [name, value] of h) {
    const m = USED.exec(name);
    const used = m ? num(value) : undefined;
    if (!m || used === undefined) continue;
    const prefix = `x-codex-${m[1] ? `${m[1]}-` : ''}${m[2]}`;
    let resetAt = parseResetTime(h.get(`${prefix}-reset-at`));
    const after = num(h.get(`${prefix}-reset-after-seconds`));
    if (resetAt === null && after !== undefined) resetAt = now + Math.ceil(after * 1000);
    const minutes = num(h.get(`${prefix}-window-minutes`));
    out.push({ ...(m[1] ? { family: m[1] } : {}), slot: m[2] as 'primary' | 'secondary', usedPercent: used, ...(minutes !== undefined ? { windowMinutes: minutes } : {}), resetAt });
  }
  return out;
}

/** The error's machine word (`usage_limit_reached`, `usage_not_included`, `insufficient_quota`, …). */
function codexErrorType(f: FailureFacts): string | undefined {
  const err = f.error;
  if (!err) return undefined;
  return typeof err.type === 'string' ? err.type : typeof err.code === 'string' ? err.code : undefined;
}

/**
 * Codex / ChatGPT backend 429: `{"error":{"type":"usage_limit_reached","resets_at":<unix s>,
 * "resets_in_seconds":N}}`. `resets_at` is absolute and wins; `resets_in_seconds` is the fallback.
 */
export function codexBodyHint(f: FailureFacts): ResetHint | undefined {
  const err = f.error;
  if (!err) return undefined;
  const now = f.receivedAt;
  const type = codexErrorType(f);
  const quotaExhausted = type === 'usage_limit_reached' || type === 'usage_not_included' || type === 'insufficient_quota';
  const at = num(err.resets_at);
  if (at !== undefined && epochToMs(at) > now) return { until: epochToMs(at), source: 'codex-resets-at', quotaExhausted };
  const inSec = num(err.resets_in_seconds);
  if (inSec !== undefined && inSec > 0) return { until: now + Math.ceil(inSec * 1000), source: 'codex-resets-in-seconds', quotaExhausted };
  return undefined;
}

/** On a 429 without a body hint, the account is free when the last full main window (≥ 100 % used) resets. */
export function codexHeaderHint(f: FailureFacts): ResetHint | undefined {
  let latest: number | undefined;
  for (const s of codexHeaderSlots(f.headers, f.receivedAt)) {
    if (s.family || s.usedPercent < 100 || s.resetAt === null || s.resetAt <= f.receivedAt) continue;
    latest = Math.max(latest ?? 0, s.resetAt);
  }
  return latest !== undefined ? { until: latest, source: 'codex-headers', quotaExhausted: true } : undefined;
}

/**
 * 429 `usage_limit_reached` → the window that ran out is full until the body's reset. Which window is
 * inferred from how far away the reset is (within ~5 h: the 5-hour one).
 */
export function codexQuotaFacts(f: FailureFacts, bodyHint: ResetHint | undefined): QuotaFacts | undefined {
  if (!bodyHint || codexErrorType(f) !== 'usage_limit_reached') return undefined;
  const windowSeconds = bodyHint.until - f.receivedAt <= 5 * 3600 * 1000 + 60_000 ? 5 * 3600 : 7 * 86_400;
  return { resetAt: bodyHint.until, windowSeconds, reason: 'usage_limit_reached' };
}

/** Codex (ChatGPT plan and API key) failures: body reset first, then the window headers. */
export const readCodexFailure: FailureReader = (f) => {
  const body = codexBodyHint(f);
  const hint = body ?? codexHeaderHint(f);
  const quota = f.status === 429 ? codexQuotaFacts(f, body) : undefined;
  return hint || quota ? { ...(hint ? { hint } : {}), ...(quota ? { quota } : {}) } : undefined;
};
