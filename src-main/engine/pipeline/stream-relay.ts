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

/**
 * Shows the client the model name it asked for: the upstream's `"model":"<upstream>"` fields
 * become `"model":"<client>"`. Works on whole lines (an SSE field never spans lines), holding
 * back at most one partial line until its newline arrives.
 */
export class ModelNameRewriter {
  private carry: Buffer = Buffer.alloc(0);
  private readonly from: Buffer;
  private readonly to: Buffer;

  constructor(upstreamModel: string, clientModel: string) {
    this.from = Buffer.from(`"model":${JSON.stringify(upstreamModel)}`);
    this.to = Buffer.from(`"model":${JSON.stringify(clientModel)}`);
  }

  /**
   * Works on bytes and cuts only after a newline byte, which never sits inside a multi-byte
   * UTF-8 sequence: characters split across reads stay intact, and chunks without the name
   * go out as the very bytes that came in.
   */
  push(chunk: Buffer): Buffer {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = buf.lastIndexOf(0x0a) + 1;
    this.carry = buf.subarray(cut);
    return this.replace(buf.subarray(0, cut));
  }

  end(): Buffer {
    const rest = this.replace(this.carry);
    this.carry = Buffer.alloc(0);
    return rest;
  }

  private replace(buf: Buffer): Buffer {
    let at = buf.indexOf(this.from);
    if (at === -1) return buf;
    const parts: Buffer[] = [];
    let from = 0;
    while (at !== -1) {
      parts.push(buf.subarray(from, at), this.to);
      from = at + this.from.length;
      at = buf.indexOf(this.from, from);
    }
    parts.push(buf.subarray(from));
    return Buffer.concat(parts);
  }
}

/**
 * Same format on both sides: forward the upstream bytes untouched (but for the model name the
 * client sees), decoding a copy on the side only to learn the usage and to notice a missing
 * terminator.
 */
export async function relayPassthrough(
  res: UpstreamResponse,
  upstream: Protocol,
  sink: ClientSink,
  names?: { upstreamModel: string; clientModel: string },
): Promise<{ usage?: IrUsage; error?: string; empty: boolean }> {
  const iterator = (res.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (err) {
    return { empty: true, error: toNetworkError(err).message };
  }
  if (first.done) return { empty: true };
  const side = new SseDecoder();
  const guard = upstream.createPassthroughGuard?.();
  const rename = names && names.upstreamModel !== names.clientModel ? new ModelNameRewriter(names.upstreamModel, names.clientModel) : undefined;
  let usage: IrUsage | undefined;
  const observe = (events: SseEvent[]) => {
    for (const ev of events) {
      guard?.push(ev);
      const u = upstream.sniffUsage?.(ev);
      if (u) usage = { ...usage, ...u };
    }
  };
  const forward = async (chunk: Buffer) => {
    observe(side.push(chunk));
    await sink.write(rename ? rename.push(chunk) : chunk);
  };
  const type = res.headers['content-type'];
  sink.startStream(typeof type === 'string' ? type : 'text/event-stream');
  await forward(first.value);
  let error: string | undefined;
  while (!sink.signal.aborted) {
    let step: IteratorResult<Buffer>;
    try {
      step = await iterator.next();
    } catch (err) {
      if (sink.signal.aborted) break;
      error = toNetworkError(err).message;
      if (rename) await sink.write(rename.end());
      await sink.write(upstream.encodeStreamError({ status: 502, message: error, kind: 'upstream' }));
      break;
    }
    if (step.done) break;
    await forward(step.value);
  }
  if (!sink.signal.aborted) {
    observe(side.end());
    const tail = (rename ? rename.end().toString('utf8') : '') + (!error && guard ? guard.end() : '');
    sink.end(tail || undefined);
  }
  return { usage, error, empty: false };
}
