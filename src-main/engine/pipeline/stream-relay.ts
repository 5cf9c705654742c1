import type { IrStreamPart, IrUsage } from '../ir';
import type { Protocol, ResponseContext, StreamDecoder } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import { SseDecoder } from '../sse/decoder';
import type { SseEvent } from '../sse/types';
import type { ClientSink } from './sink';
import { toNetworkError, type UpstreamResponse } from './send-upstream';

type BodyIterator = AsyncIterator<Buffer>;

/** Parts that mean the upstream really started answering (not just a preamble). */
function isOutput(p: IrStreamPart): boolean {
  return p.type !== 'start' && p.type !== 'usage';
}

export interface ReadAhead {
  /** Parts decoded before committing (start … first output), replayed to the encoder. */
  parts: IrStreamPart[];
  /** Set when the upstream failed before producing any output: fail over. */
  error?: Extract<IrStreamPart, { type: 'error' }>['error'];
  iterator: BodyIterator;
  sse: SseDecoder;
  decoder: StreamDecoder;
  ended: boolean;
}

/** Translate one SSE event batch through the provider's envelope removal and the decoder. */
function decodeEvents(events: SseEvent[], provider: ProviderDescriptor, decoder: StreamDecoder, out: IrStreamPart[]): void {
  for (const ev of events) {
    const unwrapped = provider.unwrapStreamEvent ? provider.unwrapStreamEvent(ev) : ev;
    for (const p of decoder.push(unwrapped)) out.push(p);
  }
}

/**
 * Read the upstream stream until its first output (or its end or an error), so that a failure
 * before the first byte can still become a real HTTP status and a failover.
 */
export async function readAheadTranslated(
  res: UpstreamResponse,
  upstream: Protocol,
  provider: ProviderDescriptor,
): Promise<ReadAhead> {
  const iterator = (res.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const sse = new SseDecoder();
  const decoder = upstream.createStreamDecoder();
  const parts: IrStreamPart[] = [];
  const state: ReadAhead = { parts, iterator, sse, decoder, ended: false };
  while (!parts.some(isOutput)) {
    let step: IteratorResult<Buffer>;
    try {
      step = await iterator.next();
    } catch (err) {
      const net = toNetworkError(err);
      state.error = { status: net.kind === 'timeout' ? 504 : 502, message: net.message };
      return state;
    }
    if (step.done) {
      decodeEvents(sse.end(), provider, decoder, parts);
      for (const p of decoder.end()) parts.push(p);
      state.ended = true;
      break;
    }
    decodeEvents(sse.push(step.value), provider, decoder, parts);
  }
  const err = parts.find((p): p is Extract<IrStreamPart, { type: 'error' }> => p.type === 'error');
  const firstOutput = parts.findIndex(isOutput);
  if (err && parts.indexOf(err) <= firstOutput) state.error = err.error;
  if (!parts.some((p) => isOutput(p))) state.error ??= { status: 502, message: 'upstream closed the stream without any output' };
  return state;
}

/** Stream the rest of a translated response to the client; returns the usage seen. */
export async function relayTranslated(
  ahead: ReadAhead,
  provider: ProviderDescriptor,
  inbound: Protocol,
  ctx: ResponseContext,
  sink: ClientSink,
  onPart?: (p: IrStreamPart) => void,
): Promise<{ usage?: IrUsage; error?: string }> {
  const encoder = inbound.createStreamEncoder(ctx);
  let usage: IrUsage | undefined;
  let error: string | undefined;
  const emit = async (parts: IrStreamPart[]): Promise<boolean> => {
    let out = '';
    for (const p of parts) {
      if (p.type === 'usage') usage = { ...usage, ...p.usage };
      if (p.type === 'finish' && p.usage) usage = { ...usage, ...p.usage };
      if (p.type === 'error') error = p.error.message;
      onPart?.(p);
      out += encoder.push(p);
      if (p.type === 'error') break;
    }
    if (out) await sink.write(out);
    return error === undefined;
  };
  sink.startStream(inbound.streamContentType);
  let going = await emit(ahead.parts);
  while (going && !ahead.ended && !sink.signal.aborted) {
    let step: IteratorResult<Buffer>;
    try {
      step = await ahead.iterator.next();
    } catch (err) {
      if (sink.signal.aborted) break;
      const net = toNetworkError(err);
      going = await emit([{ type: 'error', error: { status: net.kind === 'timeout' ? 504 : 502, message: net.message } }]);
      break;
    }
    const parts: IrStreamPart[] = [];
    if (step.done) {
      decodeEvents(ahead.sse.end(), provider, ahead.decoder, parts);
      for (const p of ahead.decoder.end()) parts.push(p);
      ahead.ended = true;
    } else {
      decodeEvents(ahead.sse.push(step.value), provider, ahead.decoder, parts);
    }
    if (parts.length) going = await emit(parts);
  }
  if (!sink.signal.aborted) sink.end(encoder.end());
  return { usage, error };
}
