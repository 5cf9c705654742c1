import { isAscii } from 'node:buffer';
import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { SseEvent } from './types';

/** An upstream line (or one event) longer than the cap: the stream is refused, not buffered. */
export class SseLineTooLongError extends Error {
  constructor(readonly maxChars: number) {
    super(`upstream sent an SSE line or event longer than limits.sse-line-kb (${Math.round(maxChars / 1024)} KB); stream stopped`);
    this.name = 'SseLineTooLongError';
  }
}

/**
 * Bytes → SSE events, incrementally. Split UTF-8 sequences and CRLF framing are handled by the
 * streaming TextDecoder and the spec-compliant parser; events come out as soon as their blank
 * line arrives. The parser holds an unterminated line (and an event's data lines) in memory, so
 * both are bounded by `maxChars`: a hostile upstream's endless line throws SseLineTooLongError.
 */
export class SseDecoder {
  /** Made at the first non-ASCII byte (most streams never need one). */
  private text?: TextDecoder;
  private readonly parser: EventSourceParser;
  private pending: SseEvent[] = [];
  private lineLen = 0;
  private eventLen = 0;
  private prevCR = false;
  /** Every byte so far was ASCII: the streaming UTF-8 decoder holds nothing, so ASCII needs no decoder. */
  private ascii = true;
  /** Text went out already: a BOM from here on is content, not a stream start to strip. */
  private started = false;

  constructor(private readonly maxChars = Number.POSITIVE_INFINITY) {
    this.parser = createParser({
      onEvent: (ev) => {
        const out: SseEvent = { data: ev.data };
        if (ev.event) out.event = ev.event;
        if (ev.id) out.id = ev.id;
        this.pending.push(out);
      },
    });
  }

  push(chunk: Uint8Array): SseEvent[] {
    const text = this.decode(chunk);
    if (this.maxChars !== Number.POSITIVE_INFINITY) this.measure(text);
    this.parser.feed(text);
    return this.take();
  }

  /**
   * Bytes → text. Until the first non-ASCII byte the text is the bytes themselves (most streams
   * stay ASCII: JSON escapes, English text), read without the streaming decoder's converter;
   * from then on the decoder does it all (split characters, invalid bytes, as before).
   */
  private decode(chunk: Uint8Array): string {
    if (this.ascii && isAscii(chunk)) {
      if (chunk.length) this.started = true;
      return (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)).toString('latin1');
    }
    this.ascii = false;
    this.text ??= new TextDecoder('utf-8', { ignoreBOM: this.started });
    return this.text.decode(chunk, { stream: true });
  }

  /** End of input: a final event without its blank line still counts. */
  end(): SseEvent[] {
    const rest = this.text ? this.text.decode() : '';
    if (rest) this.parser.feed(rest);
    this.parser.feed('\n\n');
    return this.take();
  }

  /** Track the open line's and the open event's length across chunks (CR, LF and CRLF end a line). */
  private measure(text: string): void {
    let from = 0;
    // Line ends found with indexOf (native): most streams use LF only, so CR is looked for once.
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (lf !== -1 || cr !== -1) {
      const i = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      const isCR = i === cr;
      const seg = i - from;
      if (seg > 0) {
        this.lineLen += seg;
        this.eventLen += seg;
        this.prevCR = false;
      }
      // CRLF is one line end.
      const crlf = isCR && lf === i + 1;
      from = i + (crlf ? 2 : 1);
      if (lf !== -1 && lf < from) lf = text.indexOf('\n', from);
      if (cr !== -1 && cr < from) cr = text.indexOf('\r', from);
      // The LF of a CRLF split across two chunks.
      if (!isCR && seg === 0 && this.prevCR) {
        this.prevCR = false;
        continue;
      }
      if (this.lineLen === 0) this.eventLen = 0;
      else this.eventLen += 1;
      this.lineLen = 0;
      this.prevCR = isCR && !crlf;
      this.check();
    }
    const tail = text.length - from;
    if (tail > 0) {
      this.lineLen += tail;
      this.eventLen += tail;
      this.prevCR = false;
    }
    this.check();
  }

  private check(): void {
    if (this.lineLen > this.maxChars || this.eventLen > this.maxChars) throw new SseLineTooLongError(this.maxChars);
  }

  private take(): SseEvent[] {
    if (this.pending.length === 0) return EMPTY;
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

const EMPTY: SseEvent[] = [];
