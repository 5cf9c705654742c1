import { createParser, type EventSourceParser } from 'eventsource-parser';

/** A single event larger than this is a broken stream, not a contract event: drop it, keep going. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/**
 * text/event-stream for the HTTP bridge (fetch streaming instead of EventSource, because
 * EventSource cannot send the management key header). The parsing itself is `eventsource-parser`
 * (spec line ends, multi-line data, chunks split anywhere); this only names unnamed events
 * `message` and bounds what one event may buffer.
 */
export class SseParser {
  private readonly parser: EventSourceParser;

  constructor(onEvent: (event: string, data: string) => void) {
    this.parser = createParser({
      onEvent: (e) => onEvent(e.event ?? 'message', e.data),
      maxBufferSize: MAX_EVENT_CHARS,
      // An oversized event ends the parser; start over so the next events still arrive.
      onError: () => this.parser.reset({ consume: false }),
    });
  }

  push(chunk: string): void {
    this.parser.feed(chunk);
  }
}
