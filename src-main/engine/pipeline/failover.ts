import { InvalidRequestError, type WireError } from '../protocols/protocol';
import type { BeginContext, Resolution, RouteSession, RoutingService } from '../routing/contract';
import type { Candidate } from '../routing/types';
import type { AttemptFailure, AttemptResult } from './attempt-result';
import { RecordKeeper } from './request-record';
import type { CredentialSource, PipelineObserver, RequestRecord } from './types';

type ClientError = WireError & { retryAfterSeconds?: number };

/** The client side the runner needs: gone yet (a signal for waits), errors in the caller's format, first byte. */
export interface FailoverClient {
  readonly gone: boolean;
  readonly signal: AbortSignal;
  readonly committed: boolean;
  readonly firstByteAt?: number;
  sendError(err: ClientError): void;
}

/** One client request, as the failover runner sees it. */
export interface FailoverJob {
  /** The request record's opening facts (requested model, operation, format, …). */
  record: Pick<RequestRecord, 'requestId' | 'inboundFormat' | 'operation' | 'requestedModel' | 'stream' | 'clientKeyLabel'>;
  client: FailoverClient;
  /** Session affinity and capability narrowing. */
  route?: BeginContext;
  /** The model is served, but by no account that can do this operation. */
  incapable?: () => ClientError;
  /**
   * Instead of an error when nothing served (count-tokens answers with a local estimate). A job
   * with a fallback makes one pass and never waits for a cooldown.
   */
  fallback?: () => Promise<void> | void;
  /** false: no request record (token counts are not requests in the usage book). */
  recorded?: boolean;
  /** `streaming.bootstrap-retries` for this request (0 for non-streaming ones). */
  bootstrapRetries?: number;
}

/** One try on one account with one credential; never talks to routing. */
export type Attempt = (candidate: Candidate, credential: string, route: Resolution) => Promise<AttemptResult>;

export interface FailoverDeps {
  routing: RoutingService;
  credentials: CredentialSource;
  observer: PipelineObserver;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

const CLIENT_CLOSED: ClientError = { status: 499, message: 'client closed the request', code: 'client_closed' };

/** The account's credential could not be had (signed out, keychain locked): next account. */
function credentialFailure(c: Candidate, err: unknown): AttemptFailure {
  const code = (err as { code?: unknown }).code;
  const why = (err as Error).message ?? String(err);
  if (code === 'needs_login' || code === 'no_refresh_token') {
    const message = `The account "${c.account.label}" needs a new sign-in: run \`switchyard login ${c.account.provider}\` (${why})`;
    return { served: false, error: { status: 401, kind: 'authentication', code: 'needs_sign_in', message }, reason: `needs sign-in: ${why}` };
  }
  const message = `The credential of account "${c.account.label}" could not be read (${why}); no request was sent`;
  return { served: false, error: { status: 503, kind: 'server', code: 'credential_unavailable', message }, reason: `credential unavailable: ${why}` };
}

/** A stream that broke before the client saw a byte: worth another try on the same account. */
function bootstrapRetryable(r: AttemptFailure): boolean {
  const o = r.outcome;
  return o !== undefined && !o.ok && (o.failure.status === 0 || o.failure.status >= 500);
}

/**
 * Nothing served the request. While some account is still free the last failure speaks for
 * itself; otherwise routing says why none can serve: rate limits (429 + Retry-After) or
 * rejected credentials (401/403 naming the account, no Retry-After).
 */
export function finalError(session: RouteSession, lastError: WireError | undefined): ClientError {
  const credentialRejected = lastError?.status === 401 || lastError?.status === 403;
  if (!lastError || ((lastError.status === 429 || credentialRejected) && !session.hasFree())) return session.allBlocked();
  return lastError;
}

/**
 * The one failover loop (chat, responses, messages, gemini, embeddings, images, token counts):
 * take candidates from the request's route session, fetch the credential, run the attempt,
 * report its outcome, refresh a rejected token once and retry the same account, retry a stream
 * that broke before its first byte (`bootstrap-retries`), wait between passes as routing says,
 * and answer every failure — client gone (499), invalid request (400), the final error.
 */
export async function runWithFailover(job: FailoverJob, attempt: Attempt, deps: FailoverDeps): Promise<void> {
  const client = job.client;
  // The opening facts as they are: the keeper builds the record (a spread with new keys costs µs in V8 here).
  const keeper = new RecordKeeper(job.record);
  const finish = (status: number, err?: ClientError) => {
    const record = keeper.close(status, err, client.firstByteAt);
    if (job.recorded !== false) deps.observer.onRequestDone?.(record);
  };
  const reply = (err: ClientError) => {
    client.sendError(err);
    finish(err.status, err);
  };
  const model = job.record.requestedModel;

  const session = deps.routing.begin(model, job.route);
  if (!session) {
    return reply({ status: 404, kind: 'not_found', code: 'model_not_found', message: deps.routing.unservedMessage?.(model) ?? `The model "${model}" is not served by any configured account.` });
  }
  if (session.resolution.candidates.length === 0) {
    if (job.fallback) return job.fallback();
    return reply(job.incapable?.() ?? { status: 400, kind: 'invalid_request', code: 'unsupported_model', message: `No account serving "${model}" can do this.` });
  }
  keeper.noteSkipped(session.skipped());
  const sleep = deps.sleep ?? defaultSleep;

  /** One account: its credential, the attempt, a refresh after 401, bootstrap retries. */
  const tryAccount = async (c: Candidate): Promise<AttemptResult & { final?: boolean; retryAt?: number }> => {
    let refreshed = false;
    let bootstraps = 0;
    for (;;) {
      let credential: string;
      try {
        credential = deps.credentials.peek?.(c.account) ?? (await deps.credentials.get(c.account));
      } catch (err) {
        return credentialFailure(c, err);
      }
      const r = await attempt(c, credential, session.resolution);
      if (r.served) {
        session.report(c, r.outcome);
        return r;
      }
      if (!r.outcome) return { ...r, final: true };
      if (bootstraps < (job.bootstrapRetries ?? 0) && !client.committed && bootstrapRetryable(r)) {
        bootstraps++;
        keeper.failed(c, { status: r.upstreamStatus, reason: `${r.reason ?? `upstream ${r.upstreamStatus}`}; retrying the same account (streaming.bootstrap-retries)`, upstreamMessage: r.upstreamMessage });
        keeper.trying(c);
        continue;
      }
      const verdict = session.report(c, r.outcome);
      if (verdict.refresh && !refreshed && (await deps.credentials.refreshAfterUnauthorized(c.account))) {
        refreshed = true;
        continue;
      }
      // The attempt's own words (a reset, a broken body) win over routing's summary.
      const own = r.reason !== undefined;
      return {
        ...r,
        final: verdict.final,
        reason: own ? r.reason : (verdict.reason ?? `upstream ${r.upstreamStatus}`),
        upstreamMessage: own ? r.upstreamMessage : (verdict.upstreamMessage ?? r.upstreamMessage),
        ...(verdict.retryAt !== undefined ? { retryAt: verdict.retryAt } : {}),
      };
    }
  };

  let lastError: WireError | undefined;
  for (;;) {
    const c = session.next();
    if (!c) {
      const delay = job.fallback ? undefined : session.wait();
      if (delay === undefined) break;
      await sleep(delay, client.signal);
      if (client.gone) return finish(499, CLIENT_CLOSED);
      continue;
    }
    keeper.trying(c);
    let r: Awaited<ReturnType<typeof tryAccount>>;
    try {
      r = await tryAccount(c);
    } catch (err) {
      if (!(err instanceof InvalidRequestError)) throw err;
      return reply({ status: 400, kind: 'invalid_request', message: err.message, details: err.param ? { param: err.param } : undefined });
    }
    if (r.served) {
      keeper.ok(c);
      keeper.record.usage = r.usage;
      return finish(r.status, r.error ? { status: 200, message: r.error, kind: 'upstream' } : undefined);
    }
    keeper.failed(c, { status: r.upstreamStatus, reason: r.reason ?? r.error.message, upstreamMessage: r.upstreamMessage, retryAt: r.retryAt });
    if (client.gone || (!r.outcome && r.error.status === 499)) return finish(499, CLIENT_CLOSED);
    lastError = r.error;
    if (r.final && !job.fallback) return reply(r.error);
    if (r.final) break;
  }
  if (job.fallback) return job.fallback();
  reply(finalError(session, lastError));
}
