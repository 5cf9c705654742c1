import type { IrRequest, IrUsage } from '../ir';
import { StreamAccumulator } from '../ir/accumulate';
import type { Protocol, WireError } from '../protocols/protocol';
import type { ProviderDescriptor, UpstreamCall } from '../providers/provider';
import { applyHostOverrides } from '../upstream/host-overrides';
import { hasForeignThinking } from '../protocols/claude-messages';
import { findTopLevelString, rewriteTopLevelModel } from './model-rewrite';
import { readBodyBuffer, readBodyText, sendUpstream, UpstreamNetworkError, type UpstreamResponse } from './send-upstream';
import { readAheadTranslated, relayTranslated } from './stream-relay';
import { relayPassthrough } from './passthrough-relay';
import type { Candidate, FailureVerdict } from './types';
import type { GenerateJob, PipelineDeps } from './generate';

export type AttemptResult =
  | { served: true; usage?: IrUsage; status: number; error?: string }
  | { served: false; error: WireError; final: boolean };

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

/** One try on one candidate: build, send, and either serve the client or report why not. */
export async function attemptCandidate(
  job: GenerateJob,
  c: Candidate,
  deps: PipelineDeps,
): Promise<AttemptResult> {
  const provider = deps.providers(c.account.provider);
  const upstream = deps.protocols[provider.protocol];
  const passthrough =
    job.allowPassthrough &&
    provider.protocol === job.inbound.id &&
    !provider.forceStream &&
    !provider.wrapRequest &&
    !job.resolution.reasoning &&
    !c.reasoning &&
    // Thinking signed by another vendor must be filtered before Anthropic sees it.
    !(provider.protocol === 'claude-messages' && hasForeignThinking(job.body)) &&
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
    const credential = await deps.credentials.get(c.account);
    const call: UpstreamCall = { account: c.account, credential, upstreamModel: c.upstreamModel, stream: upstreamStream, operation: job.operation, body };
    if (provider.wrapRequest && !Buffer.isBuffer(body)) call.body = provider.wrapRequest(body, call);
    const httpReq = provider.buildRequest(call);
    httpReq.url = applyHostOverrides(httpReq.url, deps.hostOverrides());
    let res: UpstreamResponse;
    try {
      res = await sendUpstream(httpReq, deps.dispatchers.get(c.account.proxyUrl), job.sink.signal);
    } catch (err) {
      const net = err as UpstreamNetworkError;
      if (net.kind === 'aborted') return { served: false, error: { status: 499, message: net.message }, final: true };
      deps.routing.report(c, { ok: false, status: 0, network: net.kind === 'timeout' ? 'timeout' : 'unreachable', message: net.message });
      const status = net.kind === 'timeout' ? 504 : 502;
      return { served: false, error: { status, message: net.message, kind: net.kind === 'timeout' ? 'timeout' : 'upstream' }, final: false };
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
      return { served: false, error: upstream.decodeError(res.status, decoded), final: verdict.final };
    }
    return serveSuccess(job, c, deps, provider, upstream, res, { passthrough, upstreamStream, toolNames });
  }
}

async function serveSuccess(
  job: GenerateJob,
  c: Candidate,
  deps: PipelineDeps,
  provider: ProviderDescriptor,
  upstream: Protocol,
  res: UpstreamResponse,
  how: { passthrough: boolean; upstreamStream: boolean; toolNames?: Map<string, string> },
): Promise<AttemptResult> {
  const ctx = { clientModel: c.clientModel, toolNames: how.toolNames };
  const fail = (status: number, message: string, final = false): AttemptResult => {
    deps.routing.report(c, { ok: false, status, headers: {}, body: message });
    return { served: false, error: { status, message, kind: 'upstream' }, final };
  };

  if (job.stream && how.passthrough) {
    const out = await relayPassthrough(res, upstream, job.sink, { upstreamModel: c.upstreamModel, clientModel: c.clientModel });
    if (!out.started) {
      res.body.destroy();
      const { status, message, code } = out.error;
      deps.routing.report(c, { ok: false, status, headers: {}, body: JSON.stringify({ error: { message, code } }) });
      return { served: false, error: { status, message, code, kind: status === 429 ? 'rate_limit' : 'upstream' }, final: false };
    }
    deps.routing.report(c, { ok: true });
    return { served: true, usage: out.usage, status: 200, error: out.error };
  }

  if (how.upstreamStream) {
    const ahead = await readAheadTranslated(res, upstream, provider);
    if (ahead.error) {
      res.body.destroy();
      const { status, message, code } = ahead.error;
      deps.routing.report(c, { ok: false, status, headers: {}, body: JSON.stringify({ error: { message, code } }) });
      return { served: false, error: { status, message, code, kind: status === 429 ? 'rate_limit' : 'upstream' }, final: false };
    }
    deps.routing.report(c, { ok: true });
    if (job.stream) {
      const out = await relayTranslated(ahead, provider, job.inbound, ctx, job.sink);
      return { served: true, usage: out.usage, status: 200, error: out.error };
    }
    // The client wants JSON but the upstream only streams: fold the stream into one response.
    const acc = new StreamAccumulator();
    for (const p of ahead.parts) acc.push(p);
    const rest = await relayTranslatedToAccumulator(ahead, provider, acc);
    if (rest.error) return fail(rest.error.status, rest.error.message);
    job.sink.sendJson(200, job.inbound.encodeResponse(acc.result(), ctx));
    return { served: true, usage: acc.usage, status: 200 };
  }

  const bytes = await readBodyBuffer(res.body);
  deps.routing.report(c, { ok: true });
  if (how.passthrough) {
    job.sink.sendJson(200, c.upstreamModel === c.clientModel ? bytes : showClientModel(bytes, c.clientModel));
    return { served: true, usage: usageOfBody(bytes, upstream, provider), status: 200 };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail(502, 'upstream sent a response that is not JSON');
  }
  const ir = upstream.decodeResponse(provider.unwrapResponse ? provider.unwrapResponse(parsed) : parsed);
  job.sink.sendJson(200, job.inbound.encodeResponse(ir, ctx));
  return { served: true, usage: ir.usage, status: 200 };
}

async function relayTranslatedToAccumulator(
  ahead: Awaited<ReturnType<typeof readAheadTranslated>>,
  provider: ProviderDescriptor,
  acc: StreamAccumulator,
): Promise<{ error?: { status: number; message: string } }> {
  while (!ahead.ended) {
    const step = await ahead.iterator.next();
    const events = step.done ? ahead.sse.end() : ahead.sse.push(step.value);
    for (const ev of events) {
      for (const p of ahead.decoder.push(provider.unwrapStreamEvent ? provider.unwrapStreamEvent(ev) : ev)) acc.push(p);
    }
    if (step.done) {
      for (const p of ahead.decoder.end()) acc.push(p);
      ahead.ended = true;
    }
  }
  return acc.error ? { error: acc.error } : {};
}

/** Usage of a passthrough JSON body, parsed after the reply already went out. */
function usageOfBody(bytes: Buffer, upstream: Protocol, provider: ProviderDescriptor): IrUsage | undefined {
  try {
    const parsed = JSON.parse(bytes.toString('utf8'));
    return upstream.decodeResponse(provider.unwrapResponse ? provider.unwrapResponse(parsed) : parsed).usage;
  } catch {
    return undefined;
  }
}

/** The top-level `model` of a passthrough JSON answer, shown as the name the client used. */
function showClientModel(bytes: Buffer, clientModel: string): Buffer {
  return findTopLevelString(bytes, 'model') ? rewriteTopLevelModel(bytes, clientModel) : bytes;
}
