import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fast OpenAI-compatible upstream for the hostile suite: chat completions (JSON and SSE, in
 * the real wire shapes), embeddings and image generations. It counts every request it receives,
 * so a test can prove a refused client request never reached an upstream.
 */
export interface CountingUpstream {
  url: string;
  hits: number;
  paths: string[];
  close(): Promise<void>;
}

function chatJson(model: string) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function chatChunk(model: string, delta: object, finish: string | null) {
  return `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

export async function startCountingUpstream(): Promise<CountingUpstream> {
  const state = { hits: 0, paths: [] as string[] };
  const server = http.createServer((req, res) => {
    // Model-list reads happen in the background (discovery), never because of a client request.
    const listing = req.method === 'GET' && /\/models(\?|$)/.test(req.url ?? '');
    if (!listing) state.hits++;
    if (state.paths.length < 1000) state.paths.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { model?: unknown; stream?: unknown; input?: unknown } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        // multipart or junk: answered below from the path alone
      }
      const model = typeof body.model === 'string' ? body.model : 'up-model';
      const url = req.url ?? '';
      if (url.endsWith('/chat/completions')) {
        if (model === 'up-slow') {
          // A long stream: one chunk every 150 ms, 12 of them, then the end.
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          let n = 0;
          const t = setInterval(() => {
            if (++n > 12) {
              clearInterval(t);
              res.write(chatChunk(model, {}, 'stop'));
              return res.end('data: [DONE]\n\n');
            }
            res.write(chatChunk(model, { content: `c${n} ` }, null));
          }, 150);
          res.on('close', () => clearInterval(t));
          return;
        }
        if (body.stream === true) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(chatChunk(model, { role: 'assistant', content: 'ok' }, null));
          res.write(chatChunk(model, {}, 'stop'));
          return res.end('data: [DONE]\n\n');
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(chatJson(model)));
      }
      if (url.endsWith('/embeddings')) {
        const n = Array.isArray(body.input) ? body.input.length : 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({
            object: 'list',
            model,
            data: Array.from({ length: n }, (_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      }
      if (url.endsWith('/images/generations')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ created: 1, data: [{ b64_json: Buffer.from('png').toString('base64') }] }));
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no fake for ${url}`, type: 'invalid_request_error', param: null, code: null } }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return state.hits;
    },
    get paths() {
      return state.paths;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
