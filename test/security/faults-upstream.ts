import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A hostile upstream speaking OpenAI Chat (`/v1/chat/completions`, `/v1/embeddings`) and
 * Anthropic Messages (`/v1/messages`, `/v1/messages/count_tokens`), whose answers break on cue.
 * Which fault a request gets is decided per credential (Bearer / x-api-key), so one config can
 * hold a faulty key and a good one.
 */
export type Fault =
  | 'ok'
  | 'reset-before-headers'
  | 'reset-after-headers'
  | 'reset-mid-body'
  | 'stall-before-headers'
  | 'stall-after-headers'
  | 'drip'
  | 'html-200'
  | 'empty-200'
  | 'done-only'
  | 'giant-body'
  | 'giant-line'
  | 'stall-mid-body'
  | 'giant-then-reset'
  | '401'
  | '403'
  | '429';

export interface FaultUpstream {
  url: string;
  /** Fault per credential; missing keys answer `ok`. */
  faults: Map<string, Fault>;
  calls: Map<string, number>;
  /** Bytes for giant-body / giant-line (default 3 MB). */
  giantBytes: number;
  close(): Promise<void>;
}

const chatChunk = (key: string, delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: `chatcmpl-${key}`, object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

function okBody(kind: string, key: string, stream: boolean): { type: string; parts: string[] } {
  if (kind === 'embeddings') {
    return { type: 'application/json', parts: [JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }], model: 'e', usage: { prompt_tokens: 2, total_tokens: 2 } })] };
  }
  if (kind === 'count') return { type: 'application/json', parts: [JSON.stringify({ input_tokens: 42 })] };
  if (kind === 'claude') {
    if (!stream) {
      return {
        type: 'application/json',
        parts: [JSON.stringify({ id: `msg_${key}`, type: 'message', role: 'assistant', model: 'c', content: [{ type: 'text', text: `hi from ${key}` }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 4 } })],
      };
    }
    const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    return {
      type: 'text/event-stream',
      parts: [
        ev('message_start', { type: 'message_start', message: { id: `msg_${key}`, type: 'message', role: 'assistant', model: 'c', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 0 } } }),
        ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `hi from ${key}` } }),
        ev('content_block_stop', { type: 'content_block_stop', index: 0 }) +
          ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } }) +
          ev('message_stop', { type: 'message_stop' }),
      ],
    };
  }
  if (!stream) {
    return {
      type: 'application/json',
      parts: [JSON.stringify({ id: `chatcmpl-${key}`, object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: `hi from ${key}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })],
    };
  }
  return {
    type: 'text/event-stream',
    parts: [chatChunk(key, { role: 'assistant', content: '' }), chatChunk(key, { content: `hi from ${key}` }), `${chatChunk(key, {}, 'stop')}data: [DONE]\n\n`],
  };
}

export async function startFaultUpstream(): Promise<FaultUpstream> {
  const sockets = new Set<import('node:net').Socket>();
  const state: FaultUpstream = { url: '', faults: new Map(), calls: new Map(), giantBytes: 3 * 1024 * 1024, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const key = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '').replace(/^Bearer /, '');
      // Model discovery (GET …/models) is not a request the suite counts: an empty list, no fault.
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [] }));
        return;
      }
      state.calls.set(key, (state.calls.get(key) ?? 0) + 1);
      let body: { stream?: boolean };
      try {
        body = JSON.parse(Buffer.concat(parts).toString() || '{}') as { stream?: boolean };
      } catch {
        body = {};
      }
      const path = req.url ?? '';
      const kind = path.endsWith('/embeddings') ? 'embeddings' : path.endsWith('/count_tokens') ? 'count' : path.endsWith('/messages') ? 'claude' : 'chat';
      const stream = body.stream === true;
      const fault = state.faults.get(key) ?? 'ok';
      const ok = okBody(kind, key, stream);
      switch (fault) {
        case 'ok':
          res.writeHead(200, { 'content-type': ok.type });
          for (const p of ok.parts) res.write(p);
          res.end();
          return;
        case 'reset-before-headers':
          req.socket.destroy();
          return;
        case 'reset-after-headers':
          res.writeHead(200, { 'content-type': ok.type });
          res.flushHeaders();
          setTimeout(() => req.socket.destroy(), 10);
          return;
        case 'reset-mid-body': {
          res.writeHead(200, { 'content-type': ok.type });
          const text = ok.parts.join('');
          // Streams: the first event (with output) goes out; JSON: half the document.
          res.write(stream ? ok.parts.slice(0, 2).join('') : text.slice(0, Math.floor(text.length / 2)));
          setTimeout(() => req.socket.destroy(), 20);
          return;
        }
        case 'stall-mid-body':
          // Real output first, then silence: too late to fail over, the stream idle timeout ends it.
          res.writeHead(200, { 'content-type': ok.type });
          res.write(stream ? ok.parts.slice(0, 2).join('') : ok.parts.join('').slice(0, 10));
          return;
        case 'giant-then-reset': {
          // A JSON answer bigger than what the proxy holds back, cut half-way.
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"id":"x","model":"m","choices":[{"message":{"content":"');
          res.write(Buffer.alloc(Math.floor(state.giantBytes / 2), 0x61), () => setTimeout(() => req.socket.destroy(), 20));
          return;
        }
        case 'stall-before-headers':
          return; // never answers; the socket closes when the client gives up
        case 'stall-after-headers':
          res.writeHead(200, { 'content-type': ok.type });
          res.flushHeaders();
          return;
        case 'drip': {
          // One byte at a time, each well inside any idle timeout, never finishing in time.
          res.writeHead(200, { 'content-type': ok.type });
          const text = ok.parts.join('');
          let i = 0;
          const t = setInterval(() => {
            if (i >= text.length || res.destroyed) {
              clearInterval(t);
              res.end();
              return;
            }
            res.write(text[i++]);
          }, 50);
          res.on('close', () => clearInterval(t));
          return;
        }
        case 'html-200':
          res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
          res.end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>cloudflare</p></body></html>');
          return;
        case 'empty-200':
          res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
          res.end();
          return;
        case 'done-only':
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end('data: [DONE]\n\n');
          return;
        case 'giant-body':
        case 'giant-line': {
          res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
          // A JSON-looking (or data:-looking) prefix, then one endless string without a newline.
          res.write(stream || fault === 'giant-line' ? 'data: {"x":"' : '{"id":"x","model":"m","choices":[{"message":{"content":"');
          const block = Buffer.alloc(64 * 1024, 0x61);
          let sent = 0;
          const pump = () => {
            while (sent < state.giantBytes) {
              sent += block.length;
              if (!res.write(block)) return void res.once('drain', pump);
            }
            res.end('"}');
          };
          pump();
          return;
        }
        case '401':
        case '403':
        case '429': {
          const status = Number(fault);
          const payload =
            kind === 'claude' || kind === 'count'
              ? { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : status === 401 ? 'authentication_error' : 'permission_error', message: status === 401 ? 'invalid x-api-key' : status === 403 ? 'Your API key does not have permission' : 'Rate limited' } }
              : { error: { message: status === 401 ? 'Incorrect API key provided: sk-bad.' : status === 403 ? 'Project does not have access' : 'Rate limit reached', type: status === 429 ? 'rate_limit_error' : 'invalid_request_error', code: status === 401 ? 'invalid_api_key' : null } };
          res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '7' } : {}) });
          res.end(JSON.stringify(payload));
          return;
        }
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}
