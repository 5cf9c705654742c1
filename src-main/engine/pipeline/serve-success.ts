import { failureOf } from '../upstream/failure/parse';
import { StreamAccumulator } from '../ir/accumulate';
import type { Protocol } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import type { AttemptClock } from './attempt-clock';
import { brokenAnswer, clientGone, networkFailure, type AttemptResult } from './attempt-result';
import type { GenerateJob, PipelineDeps } from './generate';
import { relayJsonPassthrough } from './json-relay';
import type { PipelineLimits } from './limits';
import { relayPassthrough } from './passthrough-relay';
import { readBodyBuffer, type UpstreamNetworkError, type UpstreamResponse } from './send-upstream';
import { readAheadTranslated, relayTranslated, relayTranslatedToAccumulator } from './stream-relay';
import type { Candidate } from '../routing/types';
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
 * the account failed and the runner fails over (issue 12, D5–D7). The outcome goes back to the
 * runner, which reports it to routing.
 */
export async function serveSuccess(job: GenerateJob, c: Candidate, deps: PipelineDeps, s: SuccessContext): Promise<AttemptResult> {
  const { provider, upstream, res, limits, clock } = s;
  const ctx = { clientModel: c.clientModel, toolNames: s.toolNames };
  const status = res.status;
  /** The 2xx was no answer: a bad gateway; the runner tries the next account. */
  const broken = (error: { status: number; message: string; code?: string }): AttemptResult => {
    res.body.destroy();
    // The client left while we read ahead: not the account's fault.
    return job.sink.gone ? clientGone(status) : brokenAnswer(status, error);
  };
  const lost = (net: UpstreamNetworkError) => {
    res.body.destroy();
    return networkFailure(net, status);
  };
  const OK = { ok: true } as const;

  if (job.stream && s.passthrough) {
    const out = await relayPassthrough(res, upstream, job.sink, {
      names: { upstreamModel: c.upstreamModel, clientModel: c.clientModel },
      limits,
      clock,
    });
    if (!out.started) return broken(out.error);
    return { served: true, usage: out.usage, status: 200, error: out.error, outcome: OK };
  }

  if (s.upstreamStream) {
    const ahead = await readAheadTranslated(res, upstream, provider, { limits, clock });
    if (ahead.error) return broken(ahead.error);
    if (job.stream) {
      const out = await relayTranslated(ahead, job.inbound, ctx, job.sink, { limits });
      return { served: true, usage: out.usage, status: 200, error: out.error, outcome: OK };
    }
    // The client wants JSON but the upstream only streams: fold the stream into one response.
    // Nothing went out yet, so a stream that breaks while folding still fails over.
    const acc = new StreamAccumulator();
    for (const p of ahead.parts) acc.push(p);
    const rest = await relayTranslatedToAccumulator(ahead, acc, limits);
    if (rest.error) return broken(rest.error);
    job.sink.sendJson(200, job.inbound.encodeResponse(acc.result(), ctx));
    return { served: true, usage: acc.usage, status: 200, outcome: OK };
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
      return { served: true, usage: out.usage, status: 200, error: out.error, outcome: { ok: false, failure: failureOf({ status: 0, network: 'unreachable', message: out.error, now: Date.now() }) } };
    }
    return { served: true, usage: out.usage, status: 200, outcome: OK };
  }

  let bytes: Buffer;
  try {
    bytes = await readBodyBuffer(res.body, limits.upstreamBodyBytes, { clock });
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
  job.sink.sendJson(200, job.inbound.encodeResponse(ir, ctx));
  return { served: true, usage: ir.usage, status: 200, outcome: OK };
}
