/**
 * One failed upstream answer, parsed once. Routing's classifier, the client-facing error
 * (`protocol.decodeError`) and the quota book all read this value; none of them parses the body
 * again. This file imports nothing so every engine layer may use it.
 */

/** Header bags as undici / node give them: lower- or mixed-case names, string or string[] values. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** Why no usable answer came: no answer in time, no connection, a body over our cap, or a body cut or broken. */
export type NetworkKind = 'timeout' | 'unreachable' | 'too-large' | 'broken-body';

/** When the account (or account × model) is usable again, as the upstream announced it. */
export interface ResetHint {
  /** Absolute epoch ms. */
  until: number;
  /** Which format it came from (`retry-after`, `codex-resets-at`, `google-retry-info`, …), for logs and the UI. */
  source: string;
  /** The hint says the quota is used up (not a short burst limit). */
  quotaExhausted?: boolean;
}

/** What a 429 says about the quota meter: which window ran out and when it reopens. */
export interface QuotaFacts {
  /** Epoch ms the exhausted window reopens; null when the answer does not say. */
  resetAt: number | null;
  /** The model whose own quota ran out (Google per-model quotas). */
  model?: string;
  /** Length of the window that ran out, in seconds, when the answer implies it (Codex: 5 h or a week). */
  windowSeconds?: number;
  /** The upstream's word for it (`QUOTA_EXHAUSTED`, `usage_limit_reached`). */
  reason?: string;
}

/** The parts of a failure a provider's reader looks at (everything but its own findings). */
export interface FailureFacts {
  status: number;
  headers: HeaderBag;
  /** Parsed JSON body, the provider's envelope and a one-element array removed; undefined when not JSON. */
  json?: unknown;
  /** The error object inside `json` (`json.error` when it is an object, else `json`), when it is an object. */
  error?: Record<string, unknown>;
  /** google.rpc `error.details` entries that are objects (RetryInfo, ErrorInfo, QuotaFailure, …). */
  details: readonly Record<string, unknown>[];
  /** The upstream's message as sent (whitespace collapsed). */
  message?: string;
  /** Epoch ms the answer arrived; relative hints (`retry-after: 30`) count from here. */
  receivedAt: number;
}

/** A provider's own reading of a failure: its reset-hint format and what its 429 says about quota. */
export type FailureReader = (facts: FailureFacts) => { hint?: ResetHint; quota?: QuotaFacts } | undefined;

export interface UpstreamFailure extends FailureFacts {
  /** HTTP status; 0 when no answer came (then `network` says why). */
  status: number;
  network?: NetworkKind;
  /** The body as text, at most MAX_FAILURE_TEXT characters. */
  text: string;
  /** `error.type` (Anthropic, OpenAI) or a string `error.code`: the machine word for what failed. */
  type?: string;
  code?: string;
  /** Google's status word (`RESOURCE_EXHAUSTED`, `INVALID_ARGUMENT`, …). */
  rpcStatus?: string;
  /** google.rpc ErrorInfo reasons (`API_KEY_INVALID`, `QUOTA_EXHAUSTED`, …). */
  reasons: readonly string[];
  /** `retry-after` / `retry-after-ms` in ms when the answer had one (> 0). */
  retryAfterMs?: number;
  /** The reset time the answer announces, from the provider's format first, then the generic ones. */
  resetHint?: ResetHint;
  /** Quota facts for the quota book (429s that name an exhausted window). */
  quota?: QuotaFacts;
}

/** Cap on the body text kept with a failure (the parse sees the whole bounded read). */
export const MAX_FAILURE_TEXT = 64 * 1024;
