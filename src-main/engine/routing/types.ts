import type { IrReasoningEffort } from '../ir/request';
import type { Account } from '../providers/provider';

/** Time source; tests pass a controllable one so cooldown windows can be stepped through exactly. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** One way to serve a request: an account and the model name its upstream knows. */
export interface Candidate {
  account: Account;
  upstreamModel: string;
  /** The model id the client used (alias or prefixed id), shown back to it. */
  clientModel: string;
  /** Reasoning to ask of this upstream: the client's suffix, else what the alias configures. */
  reasoning?: SuffixReasoning;
}

/** Reasoning asked through a `model(high)` / `model(8192)` suffix. */
export interface SuffixReasoning {
  effort?: IrReasoningEffort;
  budget?: number;
  auto?: boolean;
}

export type FailureKind =
  | 'quota'
  | 'rate-limit'
  | 'auth'
  | 'payment'
  | 'not-found'
  | 'model-unsupported'
  | 'transient'
  | 'invalid-request'
  | 'network'
  | 'timeout'
  | 'other';

export interface FailureClassification {
  kind: FailureKind;
  /** Absolute epoch ms the (account × model) should rest until; absent = book decides (429 backoff) or none. */
  cooldownUntil?: number;
  /** false = the request itself is bad: answer the client at once, leave other accounts alone. */
  retryOtherAccounts: boolean;
  /** Ask the token cache for a fresh token and retry the same account once. */
  refreshCredential?: boolean;
  /** Whole account (credential-level failures) or just this model. */
  scope: 'model' | 'account';
  /** Where the reset time came from (`google-retry-info`, `retry-after`, …), for logs and the UI. */
  hint?: string;
  /** Upstream's own message, trimmed, for the cooldown reason shown to the user. */
  message?: string;
  /** The upstream refused the credential itself (401/403, "API key not valid"): block, do not cool. */
  credentialRejected?: boolean;
}

/** Stable identity of a candidate: survives config reloads and restarts. */
export function candidateKey(c: Pick<Candidate, 'account' | 'upstreamModel'>): string {
  return `${c.account.id}\u0000${c.upstreamModel}`;
}
