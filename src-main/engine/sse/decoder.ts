import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { SseEvent } from './types';

/** An upstream line (or one event) longer than the cap: the stream is refused, not buffered. */
export class SseLineTooLongError extends Error {
  constructor(readonly maxChars: number) {
    super(`upstream sent an SSE line or event longer than limits.sse-line-kb (${Math.round(maxChars / 1024)} KB); stream stopped`);
    this.name = 'SseLineTooLongError';
  }
}

const NEWLINE = /\r\n|\r|\n/g;

/**
 * Bytes → SSE events, incrementally. Split UTF-8 sequences and CRLF framing are handled by the
 * streaming TextDecoder and the spec-compliant parser; events come out as soon as their blank
 * line arrives. The parser holds an unterminated line (and an event's data lines) in memory, so
 * both are bounded by `maxChars`: a hostile upstream's endless line throws SseLineTooLongError.
 */
export class SseDecoder {
  private readonly text = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private pending: SseEvent[] = [];
  private lineLen = 0;
  private eventLen = 0;
  private prevCR = false;

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
    const text = this.text.decode(chunk, { stream: true });
    if (this.maxChars !== Number.POSITIVE_INFINITY) this.measure(text);
    this.parser.feed(text);
    return this.take();
  }

  /** End of input: a final event without its blank line still counts. */
  end(): SseEvent[] {
    const rest = this.text.decode();
    if (rest) this.parser.feed(rest);
    this.parser.feed('\n\n');
    return this.take();
  }

  /** Track the open line's and the open event's length across chunks (CR, LF and CRLF end a line). */
  private measure(text: string): void {
    let from = 0;
    NEWLINE.lastIndex = 0;
    for (let m = NEWLINE.exec(text); m; m = NEWLINE.exec(text)) {
      const seg = m.index - from;
      if (seg > 0) {
        this.lineLen += seg;
        this.eventLen += seg;
        this.prevCR = false;
      }
      from = m.index + m[0].length;
      // The LF of a CRLF split across two chunks.
      if (m[0] === '\n' && seg === 0 && this.prevCR) {
        this.prevCR = false;
        continue;
      }
      if (this.lineLen === 0) this.eventLen = 0;
      else this.eventLen += 1;
      this.lineLen = 0;
      this.prevCR = m[0] === '\r';
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
