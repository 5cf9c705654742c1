import type { IrStreamError, IrStreamPart } from '../../ir';
import type { StreamDecoder } from '../../protocols/protocol';
import type { SseChunk } from '../../sse/chunks';
import { SseLineTooLongError } from '../../sse/decoder';
import type { SseEvent } from '../../sse/types';
import type { AttemptClock } from '../attempt-clock';
import { toNetworkError, tooLarge } from '../send-upstream';
import { bodyPreview } from '../upstream-message';
import type { AheadJudge, Verdict } from './read-ahead';

/** Parts that carry content (text, reasoning, tool calls, images). */
function isContent(p: IrStreamPart): boolean {
  return p.type !== 'start' && p.type !== 'usage' && p.type !== 'error' && p.type !== 'finish';
}

/**
 * Stages 3–4, provider unwrap and protocol decode (SSE events → IR parts), and the judge of when
 * an upstream stream has really answered (D5). Content does; a `finish` does only when a real
 * upstream event (not a bare `[DONE]`) came before it, because decoders close every stream with
 * a `finish` of their own — an HTML page, an empty body or a lone `[DONE]` would otherwise pass
 * for an (empty) answer.
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
      if (!this.real && out.length > before && ev.data.trim() !== '[DONE]') this.real = true;
    }
  }

  /** One upstream chunk decoded; the last chunk also flushes the decoder (a missing finish). */
  decode(chunk: SseChunk): IrStreamPart[] {
    const out: IrStreamPart[] = [];
    if (chunk.events.length) this.push(chunk.events, out);
    if (chunk.end) for (const p of this.decoder.end()) out.push(p);
    return out;
  }

  answered(parts: readonly IrStreamPart[]): boolean {
    return this.firstAnswer(parts) >= 0;
  }

  /** Index of the part that decided it (errors before it can still fail over), -1 when none did. */
  firstAnswer(parts: readonly IrStreamPart[]): number {
    return parts.findIndex((p) => isContent(p) || (this.real && p.type === 'finish'));
  }
}

/** A read or decode failure of the upstream stream, as a stream error. */
export function streamFailure(err: unknown, clock?: AttemptClock): IrStreamError {
  if (err instanceof SseLineTooLongError) return { status: 502, message: err.message, code: 'upstream_line_too_long' };
  const net = toNetworkError(err, undefined, clock);
  return { status: net.status === 499 ? 502 : net.status, message: net.message, ...(net.kind === 'too-large' ? { code: 'upstream_body_too_large' } : {}) };
}

/** The stream ended without output: say what it held instead (HTML page, nothing, only [DONE]). */
export function noOutputError(seenEvents: number, head: Buffer[]): IrStreamError {
  const what = seenEvents > 0 ? `${seenEvents} event(s) but no output` : bodyPreview(Buffer.concat(head));
  return { status: 502, message: `upstream answered 200 but its stream ended without any output (${what})`, code: 'upstream_empty_stream' };
}

const PREVIEW_BYTES = 512;

/**
 * The read-ahead rule for SSE streams, passthrough and translated alike: decode until the first
 * output; an error part before it, an end without it, or more than `maxBytes`
 * (`limits.upstream-body-mb`) of output-less stream is a failure. Keeps the decoded parts to
 * replay and the first bytes to name what came instead of an answer.
 */
export class FirstOutputJudge implements AheadJudge<SseChunk, IrStreamError> {
  readonly parts: IrStreamPart[] = [];
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private bytes = 0;

  constructor(
    readonly watch: FirstOutputWatch,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly clock?: AttemptClock,
  ) {}

  push(chunk: SseChunk): Verdict<IrStreamError> {
    this.bytes += chunk.bytes.length;
    if (this.headBytes < PREVIEW_BYTES && chunk.bytes.length) {
      this.head.push(chunk.bytes);
      this.headBytes += chunk.bytes.length;
    }
    for (const p of this.watch.decode(chunk)) this.parts.push(p);
    const first = this.watch.firstAnswer(this.parts);
    const err = this.parts.find((p): p is Extract<IrStreamPart, { type: 'error' }> => p.type === 'error');
    // Only an error that comes before any output can still fail over.
    if (err && (first < 0 || this.parts.indexOf(err) < first)) return { fail: err.error };
    if (first >= 0) return 'answered';
    if (chunk.end) return this.end();
    if (this.bytes > this.maxBytes) return { fail: streamFailure(tooLarge(this.maxBytes)) };
    return 'more';
  }

  end(): { fail: IrStreamError } {
    return { fail: noOutputError(this.watch.events, this.head) };
  }

  failed(err: unknown): IrStreamError {
    return streamFailure(err, this.clock);
  }
}
