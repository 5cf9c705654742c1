import type { Response } from 'express';
import type { IrUsage } from '../ir';
import type { Protocol, ProtocolId } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import type { Candidate } from '../routing/types';
import { AttemptClock } from '../pipeline/attempt-clock';
import { brokenAnswer, clientGone, networkFailure, upstreamFailure, type AttemptResult } from '../pipeline/attempt-result';
import { runWithFailover } from '../pipeline/failover';
import type { PipelineDeps } from '../pipeline/generate';
import { DEFAULT_LIMITS } from '../pipeline/limits';
import { ClientSink } from '../pipeline/sink';
import { bodyPreview } from '../pipeline/upstream-message';
import { callMedia, type MediaCallSpec, type MediaHttpResult } from './media-call';

export type { MediaCallSpec } from './media-call';

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
  /** The client's headers and body, so `routing.session-affinity` keeps a conversation on one account. */
  conversation?: { headers?: Record<string, string | string[] | undefined>; body?: unknown };
  /** Can this upstream kind serve the operation at all? */
  supports(provider: ProviderDescriptor): boolean;
  /** Calls for one candidate (several are sent together, e.g. n images). Throws InvalidRequestError. */
  build(c: Candidate, provider: ProviderDescriptor): MediaCallSpec[];
  /** Every call answered 2xx: the client's reply. Throws UpstreamShapeError when unreadable. */
  reply(c: Candidate, provider: ProviderDescriptor, bodies: unknown[], raw: Buffer[]): MediaReply;
}

type Failed = Exclude<MediaHttpResult, { kind: 'ok' }>;

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString());
  } catch {
    return buf.toString('utf8');
  }
}

/**
 * Embeddings and images through the failover runner: the candidates whose upstream can do the
 * operation, tried in routing order with the same cooldowns, token refresh, affinity and usage
 * record as chat.
 */
export async function runMedia(job: MediaJob, deps: PipelineDeps): Promise<void> {
  const sink = new ClientSink(job.res, job.errorProtocol);
  const capable = (c: Candidate) => job.supports(deps.providers(c.account.provider));
  await runWithFailover(
    {
      record: { requestId: job.requestId, clientKeyLabel: job.clientKeyLabel, inboundFormat: job.inboundFormat, operation: job.operation, requestedModel: job.model, stream: false },
      client: sink,
      route: { ...job.conversation, capable, capability: job.operation },
      incapable: () => {
        const what = job.operation === 'embed' ? 'embeddings' : 'image generation';
        return { status: 400, kind: 'invalid_request', code: 'unsupported_model', message: `The model "${job.model}" is served only by accounts that cannot do ${what}.` };
      },
    },
    (c, credential) => attemptMedia(job, sink, c, credential, deps),
    deps,
  );
}

/** One candidate: all its calls together; every one must answer 2xx with a readable body. */
async function attemptMedia(job: MediaJob, sink: ClientSink, c: Candidate, credential: string, deps: PipelineDeps): Promise<AttemptResult> {
  const provider = deps.providers(c.account.provider);
  const specs = job.build(c, provider);
  const limits = deps.limits?.() ?? DEFAULT_LIMITS;
  // Every call of this attempt must be answered in full within request-timeout-seconds (D21).
  const clock = new AttemptClock(sink.signal, limits.requestTimeoutMs);
  let results: MediaHttpResult[];
  try {
    results = await Promise.all(
      specs.map(async (spec) => {
        const call = { account: c.account, credential, upstreamModel: c.upstreamModel, stream: false, operation: job.operation, body: spec.body };
        const r = await callMedia(provider, call, spec, deps, clock, limits.upstreamBodyBytes);
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
  if (failed?.kind === 'network') return sink.gone ? clientGone() : networkFailure(failed.error, failed.status ?? 0);
  if (failed) {
    return upstreamFailure(provider, deps.protocols[provider.protocol], failed, failed.text, (f) => deps.observer.onUpstreamError?.(c.account, f));
  }
  const raw = results.map((r) => (r.kind === 'ok' ? r.body : Buffer.alloc(0)));
  const status = results.find((r) => r.kind === 'ok')?.status ?? 200;
  let out: MediaReply;
  try {
    // Media answers are JSON documents: an HTML page or an empty 200 is no answer (D5).
    const notJson = raw.findIndex((b) => typeof parseJson(b) === 'string');
    if (notJson >= 0) throw new UpstreamShapeError(`${bodyPreview(raw[notJson])}, not JSON`);
    const bodies = raw.map((b) => (provider.unwrapResponse ? provider.unwrapResponse(parseJson(b)) : parseJson(b)));
    out = job.reply(c, provider, bodies, raw);
  } catch (err) {
    if (!(err instanceof UpstreamShapeError)) throw err;
    return brokenAnswer(status, { status: 502, message: `upstream answered with an unexpected body: ${err.message}`, code: 'upstream_bad_body' });
  }
  sink.sendJson(200, out.body);
  return { served: true, status: 200, usage: out.usage, outcome: { ok: true } };
}
