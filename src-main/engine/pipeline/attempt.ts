import type { IrRequest } from '../ir';
import type { ProviderDescriptor } from '../providers/provider';
import type { Resolution } from '../routing/contract';
import type { Candidate } from '../routing/types';
import { AttemptClock } from './attempt-clock';
import { networkFailure, upstreamFailure, type AttemptResult } from './attempt-result';
import type { GenerateJob, PipelineDeps } from './generate';
import { DEFAULT_LIMITS } from './limits';
import { spliceTopLevelModel } from './model-rewrite';
import { readBodyText, sendUpstream, toNetworkError, type OutboundRequest, type UpstreamResponse } from './send-upstream';
import { serveSuccess } from './serve-success';
import { buildUpstreamRequest } from './upstream-request';

export type { AttemptResult, AttemptFailure } from './attempt-result';

/** The IR of the client's request, decoded at most once per client request. */
function irOf(job: GenerateJob): IrRequest {
  job.ir ??= job.inbound.decodeRequest(job.body, { model: job.model, stream: job.stream });
  return job.ir;
}

function withSuffixReasoning(ir: IrRequest, route: Resolution, c: Candidate): IrRequest {
  const r = route.reasoning ?? c.reasoning;
  if (!r) return ir;
  const disabled = r.effort === 'none' || r.budget === 0;
  return {
    ...ir,
    reasoning: {
      enabled: !disabled,
      effort: r.effort,
      budgetTokens: r.budget,
      includeThoughts: !disabled,
    },
  };
}

/** The body for this candidate: the client's bytes (passthrough) or the encoded IR. */
function upstreamBody(job: GenerateJob, route: Resolution, c: Candidate, deps: PipelineDeps, provider: ProviderDescriptor, passthrough: boolean, upstreamStream: boolean) {
  if (passthrough) return { body: job.rawBody };
  const enc = deps.protocols[provider.protocol].encodeRequest(withSuffixReasoning(irOf(job), route, c), { upstreamModel: c.upstreamModel, stream: upstreamStream });
  let body = enc.body as Record<string, unknown>;
  if (deps.routing.hasPayloadRules()) body = deps.routing.applyPayloadRules(body, { model: c.upstreamModel, protocol: provider.protocol, clientModel: c.clientModel, provider: c.account.provider });
  return { body, toolNames: enc.toolNames };
}

/**
 * One try on one candidate with one credential: build, send, and either serve the client or say
 * why not. Routing hears about it from the failover runner, never from here.
 */
export async function attemptCandidate(job: GenerateJob, route: Resolution, c: Candidate, credential: string, deps: PipelineDeps): Promise<AttemptResult> {
  const provider = deps.providers(c.account.provider);
  const upstream = deps.protocols[provider.protocol];
  const limits = deps.limits?.() ?? DEFAULT_LIMITS;
  const passthrough =
    job.allowPassthrough &&
    provider.protocol === job.inbound.id &&
    !provider.forceStream &&
    !provider.wrapRequest &&
    !route.reasoning &&
    !c.reasoning &&
    // The format's own rule (e.g. Claude: thinking signed by another vendor must be filtered first).
    (upstream.canPassThrough?.(job.body) ?? true) &&
    !deps.routing.hasPayloadRules();
  const upstreamStream = provider.forceStream ? true : job.stream;
  const { body, toolNames } = upstreamBody(job, route, c, deps, provider, passthrough, upstreamStream);

  const built = buildUpstreamRequest(
    provider,
    { account: c.account, credential, upstreamModel: c.upstreamModel, stream: upstreamStream, operation: job.operation, body },
    deps.hostOverrides(),
  );
  // Passthrough with another model name: the client's bytes around the new name, in pieces (made per
  // try, so a retry re-sends them), never one more copy of the whole body.
  const httpReq: OutboundRequest =
    passthrough && job.bodyModel !== c.upstreamModel ? { ...built, body: spliceTopLevelModel(job.rawBody, c.upstreamModel) } : built;
  // Streams may run long but not go silent; a non-stream answer must be complete in time (D21).
  // The sink says when the client leaves: no AbortSignal is made for a request that ends normally.
  const clock = new AttemptClock(job.sink, upstreamStream ? undefined : limits.requestTimeoutMs);
  try {
    let res: UpstreamResponse;
    try {
      res = await sendUpstream(httpReq, deps.dispatchers.get(c.account.proxyUrl), undefined, {
        clock,
        headersTimeoutMs: limits.requestTimeoutMs,
        bodyTimeoutMs: upstreamStream ? limits.streamIdleMs : limits.requestTimeoutMs,
      });
    } catch (err) {
      return networkFailure(toNetworkError(err, undefined, clock));
    }
    deps.observer.onUpstreamHeaders?.(c.account, res.status, res.headers);
    if (res.status >= 400) {
      const text = await readBodyText(res.body);
      return upstreamFailure(provider, upstream, res, text, (f) => deps.observer.onUpstreamError?.(c.account, f));
    }
    return await serveSuccess(job, c, deps, { provider, upstream, res, passthrough, upstreamStream, toolNames, limits, clock });
  } finally {
    clock.dispose();
  }
}
