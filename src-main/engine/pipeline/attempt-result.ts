import type { IrUsage } from '../ir';
import type { Protocol, WireError } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import type { AttemptOutcome } from '../routing/contract';
import type { UpstreamNetworkError } from './send-upstream';
import { readUpstreamFailure } from '../providers/read-failure';
import { failureOf } from '../upstream/failure/parse';
import type { UpstreamFailure } from '../upstream/failure/types';
import { upstreamMessageOf } from './upstream-message';

/** The client got its answer. `outcome` is what routing hears (a stream cut late still failed). */
export interface AttemptServed {
  served: true;
  usage?: IrUsage;
  status: number;
  /** The answer was cut after bytes went out: the message the request log keeps. */
  error?: string;
  outcome: AttemptOutcome;
}

/** No answer from this account. The runner reports `outcome` and decides what comes next. */
export interface AttemptFailure {
  served: false;
  /** What the client gets if this failure ends the request. */
  error: WireError;
  /** What routing hears; absent when the client went away (not the account's fault). */
  outcome?: AttemptOutcome;
  /** Upstream HTTP status (0 = no answer); undefined when no call was made. */
  upstreamStatus?: number;
  /** Why, when the attempt knows better than routing's verdict (resets, broken bodies). */
  reason?: string;
  upstreamMessage?: string;
}

export type AttemptResult = AttemptServed | AttemptFailure;

/**
 * An upstream answered with an error status: the one place such an answer is parsed (once) into
 * what routing hears and what the client is told (the protocol's error).
 */
export function upstreamFailure(
  provider: Pick<ProviderDescriptor, 'readFailure' | 'unwrapResponse'>,
  upstream: Protocol,
  res: { status: number; headers: Record<string, string | string[] | undefined> },
  text: string,
  /** Hears the parsed failure (the quota book reads its quota facts). */
  observe?: (failure: UpstreamFailure) => void,
): AttemptFailure {
  const failure = readUpstreamFailure(provider, { status: res.status, headers: res.headers, body: text, now: Date.now() });
  observe?.(failure);
  const error = upstream.decodeError(failure);
  const msg = upstreamMessageOf(error, failure.text);
  const out: AttemptFailure = { served: false, error, outcome: { ok: false, failure }, upstreamStatus: res.status };
  if (msg) out.upstreamMessage = msg;
  return out;
}

/** The client left: nothing to tell routing, nothing more to try. */
export function clientGone(upstreamStatus?: number): AttemptFailure {
  const out: AttemptFailure = { served: false, error: { status: 499, message: 'client went away' }, reason: 'client went away' };
  if (upstreamStatus !== undefined) out.upstreamStatus = upstreamStatus;
  return out;
}

/**
 * No usable answer (reset, stall, deadline, body over the cap). `upstreamStatus` is the status
 * whose body broke (D6), 0 when none came.
 */
export function networkFailure(net: UpstreamNetworkError, upstreamStatus = 0): AttemptFailure {
  if (net.kind === 'aborted') return { ...clientGone(upstreamStatus), error: { status: 499, message: net.message } };
  const error: WireError = { status: net.status, message: net.message, kind: net.kind === 'timeout' ? 'timeout' : 'upstream' };
  if (net.kind === 'too-large') error.code = 'upstream_body_too_large';
  return {
    served: false,
    error,
    outcome: { ok: false, failure: failureOf({ status: 0, network: net.kind === 'timeout' ? 'timeout' : net.kind === 'too-large' ? 'too-large' : 'unreachable', message: net.message, now: Date.now() }) },
    upstreamStatus,
    reason: net.message,
    upstreamMessage: net.message,
  };
}

/** A 2xx that was no answer (HTML or empty 200, a stream without output): a bad gateway. */
export function brokenAnswer(upstreamStatus: number, e: { status: number; message: string; code?: string }): AttemptFailure {
  return {
    served: false,
    error: { status: e.status, message: e.message, code: e.code, kind: e.status === 429 ? 'rate_limit' : e.status === 504 ? 'timeout' : 'upstream' },
    outcome: { ok: false, failure: failureOf({ status: e.status, message: e.message, ...(e.code ? { code: e.code } : {}), now: Date.now() }) },
    upstreamStatus,
    reason: e.message,
    upstreamMessage: e.message,
  };
}
