import { StreamAccumulator } from '../ir/accumulate';
import type { Protocol } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import type { AttemptClock } from './attempt-clock';
import { failureDetails, networkFailure, type AttemptResult } from './attempt-result';
import type { GenerateJob, PipelineDeps } from './generate';
import { relayJsonPassthrough } from './json-relay';
import type { PipelineLimits } from './limits';
import { relayPassthrough } from './passthrough-relay';
import { readBodyBuffer, type UpstreamNetworkError, type UpstreamResponse } from './send-upstream';
import { readAheadTranslated, relayTranslated, relayTranslatedToAccumulator } from './stream-relay';
import type { Candidate } from './types';
import { bodyPreview } from './upstream-message';

export interface SuccessContext {
  provider: ProviderDescriptor;
  upstream: Protocol;
  res: UpstreamResponse;
  passthrough: boolean;
  upstreamStream: boolean;
  toolNames?: Map<string, string>;
  limits: PipelineLimits;
  clock: AttemptClock;
}

/**
 * A 2xx arrived. Serve it — unless its body turns out broken before the client saw a byte
 * (HTML or empty 200s, streams without output, resets and stalls, bodies over the caps): then
 * the account failed and the caller fails over (issue 12, D5–D7).
 */
export async function serveSuccess(job: GenerateJob, c: Candidate, deps: PipelineDeps, s: SuccessContext): Promise<AttemptResult> {
  const { provider, upstream, res, limits, clock } = s;
  const ctx = { clientModel: c.clientModel, toolNames: s.toolNames };
  const status = res.status;
  /** The 2xx was no answer: report it like a bad gateway and try the next account. */
  const broken = (error: { status: number; message: string; code?: string }): AttemptResult => {
    res.body.destroy();
    // The client left while we read ahead: not the account's fault.
    if (job.sink.signal.aborted) return { served: false, error: { status: 499, message: 'client went away' }, final: true, upstreamStatus: status, reason: 'client went away' };
    const verdict = deps.routing.report(c, { ok: false, status: error.status, headers: {}, body: JSON.stringify({ error: { message: error.message, code: error.code } }) });
    return {
      served: false,
      error: { status: error.status, message: error.message, code: error.code, kind: error.status === 429 ? 'rate_limit' : error.status === 504 ? 'timeout' : 'upstream' },
      final: false,
      upstreamStatus: status,
      ...failureDetails(verdict, error.message),
      reason: error.message,
      upstreamMessage: error.message,
    };
  };
  const lost = (net: UpstreamNetworkError) => {
    res.body.destroy();
    return networkFailure(deps, c, net, status);
  };

  if (job.stream && s.passthrough) {
    const out = await relayPassthrough(res, upstream, job.sink, {
      names: { upstreamModel: c.upstreamModel, clientModel: c.clientModel },
      limits,
      clock,
    });
    if (!out.started) return broken(out.error);
    deps.routing.report(c, { ok: true });
    return { served: true, usage: out.usage, status: 200, error: out.error };
  }

  if (s.upstreamStream) {
    const ahead = await readAheadTranslated(res, upstream, provider, { limits, clock });
    if (ahead.error) return broken(ahead.error);
    if (job.stream) {
      deps.routing.report(c, { ok: true });
      const out = await relayTranslated(ahead, job.inbound, ctx, job.sink, { limits });
      return { served: true, usage: out.usage, status: 200, error: out.error };
    }
    // The client wants JSON but the upstream only streams: fold the stream into one response.
    // Nothing went out yet, so a stream that breaks while folding still fails over.
    const acc = new StreamAccumulator();
    for (const p of ahead.parts) acc.push(p);
    const rest = await relayTranslatedToAccumulator(ahead, acc, limits);
    if (rest.error) return broken(rest.error);
    deps.routing.report(c, { ok: true });
    job.sink.sendJson(200, job.inbound.encodeResponse(acc.result(), ctx));
    return { served: true, usage: acc.usage, status: 200 };
  }

  if (s.passthrough) {
    const out = await relayJsonPassthrough(res, upstream, provider, job.sink, {
      upstreamModel: c.upstreamModel,
      clientModel: c.clientModel,
      maxBytes: limits.upstreamBodyBytes,
      clock,
    });
    if (!out.started) return 'net' in out ? lost(out.net) : broken(out.error);
    if (out.error) {
      // Cut after bytes went out: too late to fail over, but the account did fail.
      deps.routing.report(c, { ok: false, status: 0, network: 'unreachable', message: out.error });
      return { served: true, usage: out.usage, status: 200, error: out.error };
    }
    deps.routing.report(c, { ok: true });
    return { served: true, usage: out.usage, status: 200 };
  }

  let bytes: Buffer;
  try {
    bytes = await readBodyBuffer(res.body, limits.upstreamBodyBytes, { signal: job.sink.signal, clock });
  } catch (err) {
    return lost(err as UpstreamNetworkError);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return broken({ status: 502, message: `upstream answered ${status} with ${bodyPreview(bytes)}, not JSON`, code: 'upstream_bad_body' });
  }
  const ir = upstream.decodeResponse(provider.unwrapResponse ? provider.unwrapResponse(parsed) : parsed);
  deps.routing.report(c, { ok: true });
  job.sink.sendJson(200, job.inbound.encodeResponse(ir, ctx));
  return { served: true, usage: ir.usage, status: 200 };
}
