import type { IrRequest } from '../ir';
import type { UpstreamCall } from '../providers/provider';
import { applyHostOverrides } from '../upstream/host-overrides';
import { AttemptClock } from './attempt-clock';
import { DEFAULT_LIMITS } from './limits';
import { rewriteTopLevelModel } from './model-rewrite';
import { readBodyText, sendUpstream, toNetworkError, type UpstreamResponse } from './send-upstream';
import { serveSuccess } from './serve-success';
import { upstreamMessageOf } from './upstream-message';
import type { Candidate, FailureVerdict } from './types';
import { failureDetails, networkFailure, type AttemptFailure, type AttemptResult } from './attempt-result';

export type { AttemptResult, AttemptFailure };
import type { GenerateJob, PipelineDeps } from './generate';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The IR of the client's request, decoded at most once per client request. */
function irOf(job: GenerateJob): IrRequest {
  job.ir ??= job.inbound.decodeRequest(job.body, { model: job.model, stream: job.stream });
  return job.ir;
}

function withSuffixReasoning(ir: IrRequest, job: GenerateJob, c: Candidate): IrRequest {
  const r = job.resolution.reasoning ?? c.reasoning;
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

/** The account's credential could not be had (signed out, keychain locked): next account. */
function credentialFailure(c: Candidate, err: unknown): AttemptFailure {
  const code = (err as { code?: unknown }).code;
  const why = (err as Error).message ?? String(err);
  if (code === 'needs_login' || code === 'no_refresh_token') {
    const message = `The account "${c.account.label}" needs a new sign-in: run \`switchyard login ${c.account.provider}\` (${why})`;
    return { served: false, error: { status: 401, kind: 'authentication', code: 'needs_sign_in', message }, final: false, reason: `needs sign-in: ${why}` };
  }
  const message = `The credential of account "${c.account.label}" could not be read (${why}); no request was sent`;
  return { served: false, error: { status: 503, kind: 'server', code: 'credential_unavailable', message }, final: false, reason: `credential unavailable: ${why}` };
}

/** One try on one candidate: build, send, and either serve the client or report why not. */
export async function attemptCandidate(job: GenerateJob, c: Candidate, deps: PipelineDeps): Promise<AttemptResult> {
  const provider = deps.providers(c.account.provider);
  const upstream = deps.protocols[provider.protocol];
  const limits = deps.limits?.() ?? DEFAULT_LIMITS;
  const passthrough =
    job.allowPassthrough &&
    provider.protocol === job.inbound.id &&
    !provider.forceStream &&
    !provider.wrapRequest &&
    !job.resolution.reasoning &&
    !c.reasoning &&
    // The format's own rule (e.g. Claude: thinking signed by another vendor must be filtered first).
    (upstream.canPassThrough?.(job.body) ?? true) &&
    !deps.routing.hasPayloadRules();
  const upstreamStream = provider.forceStream ? true : job.stream;

  let body: Buffer | Record<string, unknown>;
  let toolNames: Map<string, string> | undefined;
  if (passthrough) {
    body = job.bodyModel === c.upstreamModel ? job.rawBody : rewriteTopLevelModel(job.rawBody, c.upstreamModel);
  } else {
    const enc = upstream.encodeRequest(withSuffixReasoning(irOf(job), job, c), { upstreamModel: c.upstreamModel, stream: upstreamStream });
    toolNames = enc.toolNames;
    body = enc.body as Record<string, unknown>;
    if (deps.routing.hasPayloadRules()) body = deps.routing.applyPayloadRules(body, { model: c.upstreamModel, protocol: provider.protocol, clientModel: c.clientModel, provider: c.account.provider });
  }

  let refreshed = false;
  for (;;) {
    let credential: string;
    try {
      credential = await deps.credentials.get(c.account);
    } catch (err) {
      return credentialFailure(c, err);
    }
    const call: UpstreamCall = { account: c.account, credential, upstreamModel: c.upstreamModel, stream: upstreamStream, operation: job.operation, body };
    if (provider.wrapRequest && !Buffer.isBuffer(body)) call.body = provider.wrapRequest(body, call);
    const httpReq = provider.buildRequest(call);
    httpReq.url = applyHostOverrides(httpReq.url, deps.hostOverrides());
    // Streams may run long but not go silent; a non-stream answer must be complete in time (D21).
    const clock = new AttemptClock(job.sink.signal, upstreamStream ? undefined : limits.requestTimeoutMs);
    try {
      let res: UpstreamResponse;
      try {
        res = await sendUpstream(httpReq, deps.dispatchers.get(c.account.proxyUrl), job.sink.signal, {
          clock,
          headersTimeoutMs: limits.requestTimeoutMs,
          bodyTimeoutMs: upstreamStream ? limits.streamIdleMs : limits.requestTimeoutMs,
        });
      } catch (err) {
        return networkFailure(deps, c, toNetworkError(err, job.sink.signal, clock));
      }
      deps.observer.onUpstreamHeaders?.(c.account, res.status, res.headers);
      if (res.status >= 400) {
        const text = await readBodyText(res.body);
        deps.observer.onUpstreamError?.(c.account, res.status, text);
        const verdict: FailureVerdict = deps.routing.report(c, { ok: false, status: res.status, headers: res.headers, body: text });
        if (verdict.refresh && !refreshed && (await deps.credentials.refreshAfterUnauthorized(c.account))) {
          refreshed = true;
          continue;
        }
        const decoded = provider.unwrapResponse ? provider.unwrapResponse(parseJson(text)) : parseJson(text);
        const error = upstream.decodeError(res.status, decoded);
        const msg = verdict.upstreamMessage ?? upstreamMessageOf(error, text);
        return { served: false, error, final: verdict.final, upstreamStatus: res.status, ...failureDetails(verdict, `upstream ${res.status}`), ...(msg ? { upstreamMessage: msg } : {}) };
      }
      return await serveSuccess(job, c, deps, { provider, upstream, res, passthrough, upstreamStream, toolNames, limits, clock });
    } finally {
      clock.dispose();
    }
  }
}
