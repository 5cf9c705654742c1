import type { UpstreamFailure } from '../upstream/failure/types';
import type { FailureClassification } from './types';

/** Cooldown lengths from PROTOCOLS.md §6.3 (ms). */
export const COOLDOWNS = {
  auth: 30 * 60_000,
  payment: 30 * 60_000,
  notFound: 12 * 3_600_000,
  modelUnsupported: 12 * 3_600_000,
  transient: 60_000,
} as const;

export interface FailureInput {
  /** The failed answer, parsed once where it arrived. */
  failure: UpstreamFailure;
  /** OAuth credentials can be refreshed; API keys cannot (the account's own kind). */
  accountKind: 'api-key' | 'oauth';
  now: number;
  /** Override for the 408/5xx/network cooldown (ms); 0 disables it. */
  transientCooldownMs?: number;
}

const MODEL_UNSUPPORTED =
  /\bmodel\b[^.]{0,60}\b(not supported|unsupported|does not exist|not found|is not available|not available|no access)|unsupported model|unknown model|model_not_found|model_not_supported|invalid model/i;
const PAYMENT = /credit balance|insufficient[_ ]?(balance|funds|credits?)|billing|payment[_ ]required|add a payment method/i;
const BAD_KEY =
  /API_KEY_INVALID|API key not valid|API key expired|invalid[_ ]api[_ ]key|invalid x-api-key|incorrect api key|organization has been disabled|account (has been )?(disabled|suspended|deactivated)/i;
/** Google's word for "this credential/project/location cannot do this" (region, onboarding): not the request's fault. */
const GOOGLE_ACCOUNT_STATE = /\bFAILED_PRECONDITION\b/;
/** Request-scoped 404s (Responses items not stored with `store=false`): the request is wrong, not the account. */
const REQUEST_SCOPED_404 = /not persisted|store[`'"]? (is )?set to false|item with id .{0,80} not found/i;

/** The upstream's message, short enough for a log line or a tooltip. */
export function upstreamMessage(f: UpstreamFailure): string | undefined {
  const msg = f.message ?? f.type ?? f.code;
  return msg ? msg.slice(0, 300) : undefined;
}

/** The error's machine words (type, code, status, reasons) plus its message, for pattern checks. */
function errorText(f: UpstreamFailure): string {
  if (f.json === undefined && f.text) return f.text.slice(0, 4000);
  return [f.type, f.code, f.rpcStatus, f.message, ...f.reasons].filter((v) => typeof v === 'string').join(' ');
}

/**
 * Turns one failed upstream answer into what routing does next (PROTOCOLS.md §6.3–6.5):
 * how long this account (or account × model) rests, whether other accounts may be tried, and
 * whether a credential refresh is worth one retry.
 */
export function classifyFailure(input: FailureInput): FailureClassification {
  const { failure, now } = input;
  const { status } = failure;
  const transientMs = input.transientCooldownMs ?? COOLDOWNS.transient;
  const transientUntil = transientMs > 0 ? now + transientMs : undefined;
  const message = failure.network ? undefined : upstreamMessage(failure);
  const text = failure.network ? '' : errorText(failure);
  const oauth = input.accountKind === 'oauth';
  const base = { message };

  if (failure.network || status === 0) {
    const kind = failure.network === 'timeout' ? 'timeout' : 'network';
    return { ...base, kind, cooldownUntil: transientUntil, retryOtherAccounts: true, scope: 'model' };
  }

  if (status === 429) {
    const hint = failure.resetHint;
    const quota = hint?.quotaExhausted || /insufficient_quota|quota_exceeded|usage_limit_reached|QUOTA_EXHAUSTED/i.test(text);
    return {
      ...base,
      kind: quota ? 'quota' : 'rate-limit',
      cooldownUntil: hint?.until,
      hint: hint?.source,
      retryOtherAccounts: true,
      scope: 'model',
    };
  }

  if (status === 401 || status === 403) {
    if (PAYMENT.test(text)) return { ...base, kind: 'payment', cooldownUntil: now + COOLDOWNS.payment, retryOtherAccounts: true, scope: 'account' };
    // 403 on one model only (e.g. a plan without access to it) must not bench the whole account.
    if (status === 403 && MODEL_UNSUPPORTED.test(text)) {
      return { ...base, kind: 'model-unsupported', cooldownUntil: now + COOLDOWNS.modelUnsupported, retryOtherAccounts: true, scope: 'model' };
    }
    return { ...base, kind: 'auth', cooldownUntil: now + COOLDOWNS.auth, retryOtherAccounts: true, refreshCredential: oauth, scope: 'account', credentialRejected: true };
  }

  if (status === 402) return { ...base, kind: 'payment', cooldownUntil: now + COOLDOWNS.payment, retryOtherAccounts: true, scope: 'account' };

  if (status === 404) {
    if (REQUEST_SCOPED_404.test(text)) return { ...base, kind: 'invalid-request', retryOtherAccounts: false, scope: 'model' };
    return { ...base, kind: 'not-found', cooldownUntil: now + COOLDOWNS.notFound, retryOtherAccounts: true, scope: 'model' };
  }

  if (status === 400 || status === 422 || status === 413) {
    // Some "400"s are about the credential, not the request: those fail over like 401/402.
    if (BAD_KEY.test(text)) return { ...base, kind: 'auth', cooldownUntil: now + COOLDOWNS.auth, retryOtherAccounts: true, refreshCredential: false, scope: 'account', credentialRejected: true };
    if (GOOGLE_ACCOUNT_STATE.test(text)) return { ...base, kind: 'auth', cooldownUntil: now + COOLDOWNS.auth, retryOtherAccounts: true, refreshCredential: false, scope: 'account' };
    if (PAYMENT.test(text)) return { ...base, kind: 'payment', cooldownUntil: now + COOLDOWNS.payment, retryOtherAccounts: true, scope: 'account' };
    if (status !== 413 && MODEL_UNSUPPORTED.test(text)) {
      return { ...base, kind: 'model-unsupported', cooldownUntil: now + COOLDOWNS.modelUnsupported, retryOtherAccounts: true, scope: 'model' };
    }
    return { ...base, kind: 'invalid-request', retryOtherAccounts: false, scope: 'model' };
  }

  if (status === 408 || status >= 500) {
    // A Retry-After on a 503 is a better guess than our fixed minute, when it is shorter.
    const hint = status === 503 || status === 529 ? failure.resetHint : undefined;
    const until = hint && transientUntil !== undefined ? Math.min(hint.until, transientUntil) : transientUntil;
    return { ...base, kind: status === 408 ? 'timeout' : 'transient', cooldownUntil: until, hint: hint?.source, retryOtherAccounts: true, scope: 'model' };
  }

  return { ...base, kind: 'other', retryOtherAccounts: true, scope: 'model' };
}

