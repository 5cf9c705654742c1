import type { IrStreamError, IrUsage } from '../ir';
import type { StreamAccumulator } from '../ir/accumulate';
import type { Protocol, ResponseContext } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import type { AttemptClock } from './attempt-clock';
import { DEFAULT_LIMITS, type PipelineLimits } from './limits';
import { tooLarge, type UpstreamResponse } from './send-upstream';
import type { ClientSink } from './sink';
import { encodeStream, StreamTally } from './stream/encode';
import { FirstOutputWatch, streamFailure } from './stream/first-output';
import { pump, type Schedule } from './stream/pump';
import { decodeRest, readAheadStream, type StreamAhead, type StreamAheadOk } from './stream/stream-ahead';

export interface StreamRelayOptions {
  limits?: PipelineLimits;
  clock?: AttemptClock;
}

/**
 * Read a translated upstream stream until its first output (or its end or an error), so that a
 * failure before the first byte can still become a real HTTP status and a failover. The same
 * read-ahead as passthrough; the provider's envelope is removed before decoding.
 */
export function readAheadTranslated(res: UpstreamResponse, upstream: Protocol, provider: ProviderDescriptor, opts: StreamRelayOptions = {}): Promise<StreamAhead> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const watch = new FirstOutputWatch(upstream.createStreamDecoder(), provider.unwrapStreamEvent?.bind(provider));
  return readAheadStream(res.body, watch, { maxLineChars: limits.sseLineChars, maxBytes: limits.upstreamBodyBytes, clock: opts.clock });
}

/**
 * Stream the rest of a translated response to the client — decode, encode in the client's
 * format, write with backpressure, keep-alive comments while the upstream is silent (SSE
 * formats only: an NDJSON line must be an object). Returns the usage seen.
 */
export async function relayTranslated(
  ahead: StreamAheadOk,
  inbound: Protocol,
  ctx: ResponseContext,
  sink: ClientSink,
  opts: { limits?: PipelineLimits; schedule?: Schedule } = {},
): Promise<{ usage?: IrUsage; error?: string }> {
  const tally = new StreamTally();
  const out = encodeStream(ahead, inbound.createStreamEncoder(ctx), tally);
  const sse = inbound.streamContentType.startsWith('text/event-stream');
  const keepaliveMs = sse ? (opts.limits ?? DEFAULT_LIMITS).keepaliveMs : 0;
  // The head goes out with the first event (one write): the read-ahead's parts need no I/O.
  sink.startStream(inbound.streamContentType);
  await pump(sink, out, { ms: keepaliveMs, schedule: opts.schedule });
  return { usage: tally.usage, error: tally.error };
}

/**
 * The rest of a stream folded into one response (client wants JSON, upstream only streams),
 * bounded by `limits.upstream-body-mb` like any non-stream answer.
 */
export async function relayTranslatedToAccumulator(ahead: StreamAheadOk, acc: StreamAccumulator, limits: PipelineLimits = DEFAULT_LIMITS): Promise<{ error?: IrStreamError }> {
  let bytes = 0;
  for await (const d of decodeRest(ahead)) {
    bytes += d.bytes;
    if (bytes > limits.upstreamBodyBytes) return { error: streamFailure(tooLarge(limits.upstreamBodyBytes)) };
    for (const p of d.parts) acc.push(p);
  }
  return acc.error ? { error: acc.error } : {};
}
