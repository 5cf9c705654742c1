import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { SseEvent } from './types';

/**
 * Bytes → SSE events, incrementally. Split UTF-8 sequences and CRLF framing are handled by the
 * streaming TextDecoder and the spec-compliant parser; events come out as soon as their blank
 * line arrives.
 */
export class SseDecoder {
  private readonly text = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private pending: SseEvent[] = [];

  constructor() {
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
    this.parser.feed(this.text.decode(chunk, { stream: true }));
    return this.take();
  }

  /** End of input: a final event without its blank line still counts. */
  end(): SseEvent[] {
    const rest = this.text.decode();
    if (rest) this.parser.feed(rest);
    this.parser.feed('\n\n');
    return this.take();
  }

  private take(): SseEvent[] {
    if (this.pending.length === 0) return EMPTY;
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

const EMPTY: SseEvent[] = [];
