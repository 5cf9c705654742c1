import type { Response } from 'express';
import type { IrUsage } from '../ir';
import { InvalidRequestError, type Protocol, type ProtocolId, type WireError } from '../protocols/protocol';
import type { ProviderDescriptor, UpstreamCall } from '../providers/provider';
import { finalError, type PipelineDeps } from '../pipeline/generate';
import { failureDetails, networkFailure } from '../pipeline/attempt-result';
import { AttemptClock } from '../pipeline/attempt-clock';
import { DEFAULT_LIMITS } from '../pipeline/limits';
import { RecordKeeper } from '../pipeline/request-record';
import { bodyPreview, upstreamMessageOf } from '../pipeline/upstream-message';
import type { Candidate } from '../pipeline/types';
import { applyHostOverrides } from '../upstream/host-overrides';
import { failureOf } from '../upstream/failure/parse';
import { readUpstreamFailure } from '../providers/read-failure';
import { sendMedia, type MediaBody, type MediaHttpResult } from './upstream-call';

/** One upstream call a media job wants made for a candidate. */
export interface MediaCallSpec {
  /** JSON object (protocol-shaped, wrapped by the provider if it needs an envelope) or raw bytes. */
  body: Record<string, unknown> | Buffer;
  /** Replaces the body built by the provider (streamed uploads). */
  stream?: () => Iterable<Buffer> | AsyncIterable<Buffer>;
  /**
   * The body JSON (after the provider's envelope) holds placeholders for uploads: this turns
   * its text into the chunks to send, streaming each upload's base64 in place.
   */
  spliceJson?: (text: string) => Iterable<Buffer>;
  contentType?: string;
  /** Adjust the provider's URL (e.g. …/images/generations → …/images/edits). */
  mapUrl?: (url: string) => string;
}

export interface MediaReply {
  /** JSON value, or bytes forwarded as they are (passthrough). */
  body: unknown;
  usage?: IrUsage;
}

/** Thrown by `reply` when a 2xx upstream answer cannot be read: counts as an upstream failure. */
export class UpstreamShapeError extends Error {}

export interface MediaJob {
  requestId: string;
  res: Response;
  /** Errors go back in this format (openai-chat for /v1/*, gemini for /v1beta/*). */
  errorProtocol: Protocol;
  inboundFormat: ProtocolId;
  operation: 'embed' | 'image';
  model: string;
  clientKeyLabel?: string;
  /** Can this upstream kind serve the operation at all? */
  supports(provider: ProviderDescriptor): boolean;
  /** Calls for one candidate (several are sent together, e.g. n images). Throws InvalidRequestError. */
  build(c: Candidate, provider: ProviderDescriptor): MediaCallSpec[];
  /** Every call answered 2xx: the client's reply. Throws UpstreamShapeError when unreadable. */
  reply(c: Candidate, provider: ProviderDescriptor, bodies: unknown[], raw: Buffer[]): MediaReply;
}

type Failed = Exclude<MediaHttpResult, { kind: 'ok' }>;
type Tried =
  | { served: true }
  | { served: false; error: WireError; final: boolean; upstreamStatus?: number; reason: string; upstreamMessage?: string; retryAt?: number };

function parseJson(buf: Buffer | string): unknown {
  try {
    return JSON.parse(buf.toString());
  } catch {
    return typeof buf === 'string' ? buf : buf.toString('utf8');
  }
}

function sendError(job: MediaJob, err: WireError & { retryAfterSeconds?: number }): void {
  const res = job.res;
  if (res.headersSent) return void res.end();
  if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.max(0, Math.ceil(err.retryAfterSeconds))));
  res.status(err.status).json(job.errorProtocol.encodeError(err));
}

/**
 * The chat pipeline's candidate loop for non-streaming media calls: resolve the model, keep
 * the candidates whose upstream can do the operation, try them in routing order, fail over on
 * anything the routing layer does not call final, and record one usage row.
 */
export async function runMedia(job: MediaJob, deps: PipelineDeps): Promise<void> {
  const abort = new AbortController();
  job.res.on('close', () => {
    if (!job.res.writableFinished) abort.abort();
  });
  const keeper = new RecordKeeper({
    requestId: job.requestId,
    time: Date.now(),
    clientKeyLabel: job.clientKeyLabel,
    inboundFormat: job.inboundFormat,
    operation: job.operation,
    requestedModel: job.model,
    stream: false,
    status: 0,
    latencyMs: 0,
    attempts: 0,
  });
  const finish = (status: number, err?: WireError & { retryAfterSeconds?: number }) => {
    deps.observer.onRequestDone?.(keeper.close(status, err));
  };
  const fail = (err: WireError & { retryAfterSeconds?: number }) => {
    sendError(job, err);
    finish(err.status, err);
  };

  const resolution = deps.routing.resolve(job.model);
  if (!resolution || resolution.candidates.length === 0) {
    return fail({ status: 404, kind: 'not_found', code: 'model_not_found', message: deps.routing.unservedMessage?.(job.model) ?? `The model "${job.model}" is not served by any configured account.` });
  }
  const capable = resolution.candidates.filter((c) => job.supports(deps.providers(c.account.provider)));
  if (capable.length === 0) {
    const what = job.operation === 'embed' ? 'embeddings' : 'image generation';
    return fail({ status: 400, kind: 'invalid_request', code: 'unsupported_model', message: `The model "${job.model}" is served only by accounts that cannot do ${what}.` });
  }
  const filtered = { ...resolution, candidates: capable };

  let lastError: WireError | undefined;
  for (let pass = 0; ; pass++) {
    const ordered = deps.routing.order(filtered);
    keeper.noteSkipped(deps.routing, filtered);
    const cap = deps.routing.maxCredentialsPerPass() || ordered.length;
    for (const c of ordered.slice(0, cap)) {
      keeper.trying(c);
      let tried: Tried;
      try {
        tried = await tryCandidate(job, c, deps, abort.signal, keeper);
      } catch (err) {
        if (err instanceof InvalidRequestError) {
          return fail({ status: 400, kind: 'invalid_request', message: err.message, details: err.param ? { param: err.param } : undefined });
        }
        throw err;
      }
      if (tried.served) {
        keeper.ok(c);
        return finish(200);
      }
      keeper.failed(c, { status: tried.upstreamStatus, reason: tried.reason, upstreamMessage: tried.upstreamMessage, retryAt: tried.retryAt });
      if (abort.signal.aborted) return finish(499, { status: 499, message: 'client closed the request', code: 'client_closed' });
      lastError = tried.error;
      if (tried.final) return fail(tried.error);
    }
    const delay = deps.routing.nextPassDelay(filtered, pass);
    if (delay === undefined) break;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, delay);
      abort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
    if (abort.signal.aborted) return finish(499, { status: 499, message: 'client closed the request', code: 'client_closed' });
  }
  fail(finalError(deps.routing, filtered, lastError));
}

async function tryCandidate(job: MediaJob, c: Candidate, deps: PipelineDeps, signal: AbortSignal, keeper: RecordKeeper): Promise<Tried> {
  const provider = deps.providers(c.account.provider);
  const upstream = deps.protocols[provider.protocol];
  const specs = job.build(c, provider);
  const limits = deps.limits?.() ?? DEFAULT_LIMITS;
  let refreshed = false;
  for (;;) {
    let credential: string;
    try {
      credential = await deps.credentials.get(c.account);
    } catch (err) {
      const why = (err as Error).message ?? String(err);
      const signedOut = (err as { code?: unknown }).code === 'needs_login';
      const message = signedOut
        ? `The account "${c.account.label}" needs a new sign-in: run \`switchyard login ${c.account.provider}\` (${why})`
        : `The credential of account "${c.account.label}" could not be read (${why}); no request was sent`;
      return { served: false, error: { status: signedOut ? 401 : 503, kind: signedOut ? 'authentication' : 'server', code: signedOut ? 'needs_sign_in' : 'credential_unavailable', message }, final: false, reason: signedOut ? `needs sign-in: ${why}` : `credential unavailable: ${why}` };
    }
    // Every call of this attempt must be answered in full within request-timeout-seconds (D21).
    const clock = new AttemptClock(signal, limits.requestTimeoutMs);
    let results: MediaHttpResult[];
    try {
      results = await Promise.all(
        specs.map(async (spec) => {
          const r = await sendMedia(httpRequestFor(spec, c, provider, credential, job.operation, deps), deps.dispatchers.get(c.account.proxyUrl), clock.signal, {
            maxBytes: limits.upstreamBodyBytes,
            clock,
          });
          // One of n calls failed: the others are of no use, stop them.
          if (r.kind !== 'ok') clock.abortSiblings();
          return r;
        }),
      );
    } finally {
      clock.dispose();
    }
    for (const r of results) if (r.kind !== 'network') deps.observer.onUpstreamHeaders?.(c.account, r.status, r.headers);
    // The call that failed first, not the siblings we aborted because of it.
    const failed =
      results.find((r): r is Failed => r.kind === 'http-error' || (r.kind === 'network' && r.error.kind !== 'aborted')) ??
      results.find((r): r is Failed => r.kind !== 'ok');
    if (!failed) {
      const raw = results.map((r) => (r.kind === 'ok' ? r.body : Buffer.alloc(0)));
      const bodies = raw.map((b) => {
        const parsed = parseJson(b);
        return provider.unwrapResponse ? provider.unwrapResponse(parsed) : parsed;
      });
      let out: MediaReply;
      try {
        // Media answers are JSON documents: an HTML page or an empty 200 is no answer (D5).
        const notJson = raw.findIndex((b) => typeof parseJson(b) === 'string');
        if (notJson >= 0) throw new UpstreamShapeError(`${bodyPreview(raw[notJson])}, not JSON`);
        out = job.reply(c, provider, bodies, raw);
      } catch (err) {
        if (!(err instanceof UpstreamShapeError)) throw err;
        const message = `upstream answered with an unexpected body: ${err.message}`;
        const verdict = deps.routing.report(c, { ok: false, failure: failureOf({ status: 502, message, code: 'upstream_bad_body', now: Date.now() }) });
        const status = results.find((r) => r.kind === 'ok')?.status;
        return { served: false, error: { status: 502, kind: 'upstream', code: 'upstream_bad_body', message }, final: false, upstreamStatus: status, ...failureDetails(verdict, message), upstreamMessage: message };
      }
      deps.routing.report(c, { ok: true });
      keeper.record.usage = out.usage;
      const res = job.res;
      res.status(200).type('application/json').send(Buffer.isBuffer(out.body) ? out.body : JSON.stringify(out.body));
      return { served: true };
    }
    if (failed.kind === 'network') {
      const net = failed.error;
      if (net.kind === 'aborted' || signal.aborted) return { served: false, error: { status: 499, message: net.message }, final: true, reason: 'client went away' };
      return networkFailure(deps, c, net, failed.status ?? 0);
    }
    const failure = readUpstreamFailure(provider, { status: failed.status, headers: failed.headers, body: failed.text, now: Date.now() });
    deps.observer.onUpstreamError?.(c.account, failure);
    const verdict = deps.routing.report(c, { ok: false, failure });
    if (verdict.refresh && !refreshed && (await deps.credentials.refreshAfterUnauthorized(c.account))) {
      refreshed = true;
      continue;
    }
    const error = upstream.decodeError(failure);
    const msg = verdict.upstreamMessage ?? upstreamMessageOf(error, failure.text);
    return { served: false, error, final: verdict.final, upstreamStatus: failed.status, ...failureDetails(verdict, `upstream ${failed.status}`), ...(msg ? { upstreamMessage: msg } : {}) };
  }
}

function httpRequestFor(spec: MediaCallSpec, c: Candidate, provider: ProviderDescriptor, credential: string, operation: MediaJob['operation'], deps: PipelineDeps) {
  const call: UpstreamCall = { account: c.account, credential, upstreamModel: c.upstreamModel, stream: false, operation, body: spec.body };
  if (provider.wrapRequest && !Buffer.isBuffer(spec.body)) call.body = provider.wrapRequest(spec.body, call);
  const built = provider.buildRequest(call);
  const headers = { ...built.headers };
  if (spec.contentType) headers['content-type'] = spec.contentType;
  headers.accept = 'application/json';
  let url = spec.mapUrl ? spec.mapUrl(built.url) : built.url;
  url = applyHostOverrides(url, deps.hostOverrides());
  let body: MediaBody = spec.stream ?? built.body ?? '';
  const splice = spec.spliceJson;
  if (splice && !spec.stream) {
    const text = Buffer.isBuffer(built.body) ? built.body.toString('utf8') : (built.body ?? '');
    body = () => splice(text);
  }
  return { url, headers, body };
}
