import { Writable } from 'node:stream';
import { SseDecoder } from '../../sse/decoder';
import type { SseEvent } from '../../sse/types';
import { isRecord, safeJsonParse } from '../../protocols';
import type { Item } from './history';
import { errorEventFromBody } from './messages';

/** Where the events of one response go: one WebSocket text message each. */
export interface EventChannel {
  /** Resolves when the socket can take more (backpressure); never rejects. */
  send(text: string): Promise<void>;
}

/** What one response turned out to be, read from the events that went to the client. */
export interface TurnOutcome {
  responseId?: string;
  /** Items of `response.output_item.done`, in order (what clients take as the model's output). */
  items: Item[];
  /** `response.output` of the final event, used when the stream had no item events. */
  finalOutput?: Item[];
  terminal?: 'completed' | 'incomplete' | 'failed' | 'error';
  events: number;
}

/**
 * The HTTP response the pipeline writes to, standing in for an express `Response`: the status
 * line and headers are dropped, the SSE body is cut into events, and each event's `data` goes
 * to the socket as one text message (the same JSON, byte for byte). A JSON error answer (a
 * failure before the stream started) becomes the wrapped `{type:"error", status, error}` event.
 * A Writable gives the pipeline real backpressure (`drain`) and `close` on disconnect.
 *
 * Only what `ClientSink` uses is implemented: status/type/send, setHeader, writeHead,
 * flushHeaders, headersSent, and the Writable surface.
 */
export class SocketResponse extends Writable {
  headersSent = false;
  statusCode = 200;
  readonly outcome: TurnOutcome = { items: [], events: 0 };
  private readonly headers = new Map<string, string>();
  private readonly sse = new SseDecoder();

  constructor(private readonly channel: EventChannel) {
    super({ highWaterMark: 64 * 1024 });
  }

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  type(_contentType: string): this {
    return this;
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
    return this;
  }

  writeHead(status: number, _headers?: unknown): this {
    this.statusCode = status;
    this.headersSent = true;
    return this;
  }

  flushHeaders(): void {}

  /** A whole JSON answer: an error before any event, or (never over a socket) a non-stream body. */
  send(body: string | Buffer): this {
    this.headersSent = true;
    const parsed = safeJsonParse(Buffer.isBuffer(body) ? body.toString('utf8') : body);
    const ev =
      this.statusCode >= 400 || !isRecord(parsed)
        ? errorEventFromBody(this.statusCode >= 400 ? this.statusCode : 502, parsed, this.headers.get('retry-after'))
        : { type: 'response.completed', response: parsed };
    this.observe(ev);
    void this.channel.send(JSON.stringify(ev));
    this.end();
    return this;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.forward(this.sse.push(chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.forward(this.sse.end()).then(() => callback(), callback);
  }

  private async forward(events: SseEvent[]): Promise<void> {
    for (const ev of events) {
      if (!ev.data || ev.data === '[DONE]') continue;
      const parsed = safeJsonParse(ev.data);
      if (isRecord(parsed)) this.observe(parsed);
      await this.channel.send(ev.data);
    }
  }

  private observe(ev: Record<string, unknown>): void {
    const o = this.outcome;
    o.events++;
    const response = isRecord(ev.response) ? ev.response : undefined;
    if (response && typeof response.id === 'string' && response.id) o.responseId = response.id;
    switch (ev.type) {
      case 'response.output_item.done':
        if (isRecord(ev.item)) o.items.push(ev.item);
        break;
      case 'response.completed':
      case 'response.incomplete':
        o.terminal = ev.type === 'response.completed' ? 'completed' : 'incomplete';
        if (response && Array.isArray(response.output)) o.finalOutput = response.output.filter(isRecord);
        break;
      case 'response.failed':
        o.terminal = 'failed';
        break;
      case 'error':
        o.terminal ??= 'error';
        break;
    }
  }
}

/** The model's output items of a finished response, as the next turn's history needs them. */
export function outputOf(o: TurnOutcome): Item[] {
  return o.items.length ? o.items : (o.finalOutput ?? []);
}
