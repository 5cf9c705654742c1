import type { IrStreamPart, IrUsage } from '../ir';
import type { StreamAccumulator } from '../ir/accumulate';
import type { Protocol, ResponseContext, StreamDecoder } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import { SseDecoder, SseLineTooLongError } from '../sse/decoder';
import type { SseEvent } from '../sse/types';
import type { AttemptClock } from './attempt-clock';
import type { ClientSink } from './sink';
import { toNetworkError, type UpstreamResponse } from './send-upstream';
import { bodyPreview } from './upstream-message';

type BodyIterator = AsyncIterator<Buffer>;
type StreamError = Extract<IrStreamPart, { type: 'error' }>['error'];

/** Parts that carry content (text, reasoning, tool calls, images). */
function isContent(p: IrStreamPart): boolean {
  return p.type !== 'start' && p.type !== 'usage' && p.type !== 'error' && p.type !== 'finish';
}

/**
 * Decides when an upstream stream has really answered (D5). Content does; a `finish` does only
 * when a real upstream event (not a bare `[DONE]`) came before it, because decoders close every
 * stream with a `finish` of their own — an HTML page, an empty body or a lone `[DONE]` would
 * otherwise pass for an (empty) answer.
 */
export class FirstOutputWatch {
  events = 0;
  private real = false;

  constructor(
    private readonly decoder: StreamDecoder,
    private readonly unwrap?: (ev: SseEvent) => SseEvent,
  ) {}

  push(events: SseEvent[], out: IrStreamPart[]): void {
    this.events += events.length;
    for (const ev of events) {
      const before = out.length;
      for (const p of this.decoder.push(this.unwrap ? this.unwrap(ev) : ev)) out.push(p);
      if (out.length > before && ev.data.trim() !== '[DONE]') this.real = true;
    }
  }

  answered(parts: readonly IrStreamPart[]): boolean {
    return parts.some(isContent) || (this.real && parts.some((p) => p.type === 'finish'));
  }

  /** Index of the part that decided it (errors before it can still fail over). */
  firstAnswer(parts: readonly IrStreamPart[]): number {
    const i = parts.findIndex((p) => isContent(p) || (this.real && p.type === 'finish'));
    return i;
  }
}

export interface ReadAhead {
  /** Parts decoded before committing (start … first output), replayed to the encoder. */
  parts: IrStreamPart[];
  /** Set when the upstream failed before producing any output: fail over. */
  error?: StreamError;
  iterator: BodyIterator;
  sse: SseDecoder;
  decoder: StreamDecoder;
  ended: boolean;
  clock?: AttemptClock;
}

/** Translate one SSE event batch through the provider's envelope removal and the decoder. */
function decodeEvents(events: SseEvent[], provider: ProviderDescriptor, decoder: StreamDecoder, out: IrStreamPart[]): void {
  for (const ev of events) {
    const unwrapped = provider.unwrapStreamEvent ? provider.unwrapStreamEvent(ev) : ev;
    for (const p of decoder.push(unwrapped)) out.push(p);
  }
}

/** A read or decode failure of the upstream stream, as a stream error. */
export function streamFailure(err: unknown, clock?: AttemptClock): StreamError {
  if (err instanceof SseLineTooLongError) return { status: 502, message: err.message, code: 'upstream_line_too_long' };
  const net = toNetworkError(err, undefined, clock);
  return { status: net.status === 499 ? 502 : net.status, message: net.message };
}

/** The stream ended without output: say what it held instead (HTML page, nothing, only [DONE]). */
export function noOutputError(seenEvents: number, head: Buffer[]): StreamError {
  const what = seenEvents > 0 ? `${seenEvents} event(s) but no output` : bodyPreview(Buffer.concat(head));
  return { status: 502, message: `upstream answered 200 but its stream ended without any output (${what})`, code: 'upstream_empty_stream' };
}

/**
 * Read the upstream stream until its first output (or its end or an error), so that a failure
 * before the first byte can still become a real HTTP status and a failover.
 */
export async function readAheadTranslated(
  res: UpstreamResponse,
  upstream: Protocol,
  provider: ProviderDescriptor,
  opts: { maxLineChars?: number; clock?: AttemptClock } = {},
): Promise<ReadAhead> {
  const iterator = (res.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const sse = new SseDecoder(opts.maxLineChars);
  const decoder = upstream.createStreamDecoder();
  const parts: IrStreamPart[] = [];
  const state: ReadAhead = { parts, iterator, sse, decoder, ended: false, clock: opts.clock };
  const watch = new FirstOutputWatch(decoder, provider.unwrapStreamEvent?.bind(provider));
  const head: Buffer[] = [];
  let headBytes = 0;
  const fail = (e: StreamError): ReadAhead => ((state.error = e), state);
  for (;;) {
    let step: IteratorResult<Buffer>;
    try {
      step = await iterator.next();
      if (!step.done && headBytes < 512) {
        head.push(step.value);
        headBytes += step.value.length;
      }
      watch.push(step.done ? sse.end() : sse.push(step.value), parts);
      if (step.done) {
        for (const p of decoder.end()) parts.push(p);
        state.ended = true;
      }
    } catch (err) {
      return fail(streamFailure(err, opts.clock));
    }
    const err = parts.find((p): p is Extract<IrStreamPart, { type: 'error' }> => p.type === 'error');
    const first = watch.firstAnswer(parts);
    // Only an error that comes before any output can still fail over.
    if (err && (first < 0 || parts.indexOf(err) < first)) return fail(err.error);
    if (first >= 0) return state;
    if (step.done) return fail(noOutputError(watch.events, head));
  }
}

/** Next upstream chunk, decoded; a read or decode failure comes back as an error part. */
async function nextParts(ahead: ReadAhead, provider: ProviderDescriptor, signal?: AbortSignal): Promise<IrStreamPart[] | 'aborted'> {
  const parts: IrStreamPart[] = [];
  try {
    const step = await ahead.iterator.next();
    if (step.done) {
      decodeEvents(ahead.sse.end(), provider, ahead.decoder, parts);
      for (const p of ahead.decoder.end()) parts.push(p);
      ahead.ended = true;
    } else {
      decodeEvents(ahead.sse.push(step.value), provider, ahead.decoder, parts);
    }
  } catch (err) {
    if (signal?.aborted) return 'aborted';
    ahead.ended = true;
    parts.push({ type: 'error', error: streamFailure(err, ahead.clock) });
  }
  return parts;
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
    const parts = await nextParts(ahead, provider, sink.signal);
    if (parts === 'aborted') break;
    if (parts.length) going = await emit(parts);
  }
  if (!sink.signal.aborted) sink.end(encoder.end());
  return { usage, error };
}

/** The rest of a stream folded into one response (client wants JSON, upstream only streams). */
export async function relayTranslatedToAccumulator(
  ahead: ReadAhead,
  provider: ProviderDescriptor,
  acc: StreamAccumulator,
): Promise<{ error?: StreamError }> {
  while (!ahead.ended) {
    const parts = await nextParts(ahead, provider);
    if (parts === 'aborted') break;
    for (const p of parts) acc.push(p);
  }
  return acc.error ? { error: acc.error } : {};
}
