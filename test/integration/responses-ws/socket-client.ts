import { WebSocket } from 'ws';

export type ServerEvent = Record<string, unknown> & { type: string };

/** The headers Codex CLI 0.169 sends on its WebSocket handshake (../shared/reference/real-clients.md). */
export function codexHeaders(key: string | undefined): Record<string, string> {
  const h: Record<string, string> = {
    'openai-beta': 'responses_websockets=2026-02-06',
    originator: 'codex_exec',
    'user-agent': 'codex_exec/0.169.0 (Debian 12.0.0; x86_64) dumb (codex_exec; 0.169.0)',
    'session-id': '0199a1b2-0000-7000-8000-000000000001',
    'x-codex-window-id': '0199a1b2-0000-7000-8000-000000000001:0',
    version: '0.169.0',
  };
  if (key) h.authorization = `Bearer ${key}`;
  return h;
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);

/**
 * A WebSocket client that reads the server the way Codex does: every text message is one JSON
 * event; a response ends at response.completed / incomplete / failed or an error event.
 */
export class ResponsesSocket {
  private readonly inbox: ServerEvent[] = [];
  private waiter?: () => void;
  /** Every message received, raw (for "one JSON event per text message" checks). */
  readonly frames: Array<{ text: string; binary: boolean }> = [];
  closed?: { code: number; reason: string };

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      this.frames.push({ text, binary: isBinary });
      this.inbox.push(JSON.parse(text) as ServerEvent);
      this.waiter?.();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.waiter?.();
    });
  }

  static open(url: string, headers: Record<string, string>): Promise<ResponsesSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, perMessageDeflate: true });
      const client = new ResponsesSocket(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Try a handshake that should be refused: the HTTP status and body the server answered. */
  static refused(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => {
        ws.close();
        reject(new Error('the handshake was accepted'));
      });
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      ws.once('error', () => undefined);
    });
  }

  send(event: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(event));
  }

  /** Events up to and including the next terminal one. */
  async nextResponse(): Promise<ServerEvent[]> {
    const out: ServerEvent[] = [];
    for (;;) {
      const ev = await this.next();
      if (!ev) throw new Error(`socket closed (${this.closed?.code}) after ${out.map((e) => e.type).join(', ')}`);
      out.push(ev);
      if (TERMINAL.has(ev.type)) return out;
    }
  }

  /** The next event, or undefined once the socket closed and nothing is left. */
  async next(): Promise<ServerEvent | undefined> {
    while (this.inbox.length === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((r) => (this.waiter = r));
      this.waiter = undefined;
    }
    return this.inbox.shift();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((r) => {
      this.ws.once('close', () => r());
      this.ws.close(1000, 'bye');
    });
  }
}

/** Text of the output_text deltas of one response. */
export function textOf(events: ServerEvent[]): string {
  return events.filter((e) => e.type === 'response.output_text.delta').map((e) => String(e.delta)).join('');
}

/** The output items the client saw completed (`response.output_item.done`). */
export function itemsOf(events: ServerEvent[]): Array<Record<string, unknown>> {
  return events.filter((e) => e.type === 'response.output_item.done').map((e) => e.item as Record<string, unknown>);
}
