import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from './harness';

/**
 * Same-format passthrough under an alias: the upstream receives the client's exact bytes with only
 * the top-level model value replaced — large bodies included, framed with their true
 * content-length, and again on a retried try (`streaming.bootstrap-retries`), which must re-send
 * the whole body, not an already consumed stream.
 */

interface Seen {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
}

let upstream: http.Server;
let sy: RunningEngine;
const seen: Seen[] = [];
/** Streaming requests the fake answers with 503 before any byte (a bootstrap failure). */
let failNextStreams = 0;

const sse = (obj: object) => `data: ${JSON.stringify(obj)}\n\n`;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    // Model-list reads (GET /v1/models) are not model calls: this gateway has no list.
    if (req.method === 'GET') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      seen.push({ headers: req.headers, raw });
      const body = JSON.parse(raw.toString('utf8')) as { model: string; stream?: boolean };
      if (body.stream && failNextStreams > 0) {
        failNextStreams--;
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
      }
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: null }] }));
        res.write(sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
        return res.end('data: [DONE]\n\n');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'c2', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  sy = await startEngine(
    [
      'api-keys: [sk-client]',
      'request-retry: 0',
      'streaming:',
      '  bootstrap-retries: 1',
      'openai-compatibility:',
      '  - name: fake',
      `    base-url: ${upstreamUrl}/v1`,
      '    api-key: sk-upstream',
      '    models:',
      '      - name: upstream-model-name',
      '        alias: short',
    ].join('\n'),
  );
});

afterAll(async () => {
  await sy?.close();
  await new Promise((r) => upstream.close(r));
});

/** A client body the engine must not re-encode: odd spacing, escapes, multi-byte text, a nested "model". */
function clientBody(stream: boolean, fillBytes: number): { bytes: Buffer; expected: Buffer } {
  const head = `{ "metadata" : {"model":"nested-stays"},\n  "model"  :  `;
  const tail = ` ,"messages":[{"role":"user","content":"caf\\u00e9 ✓ ${'ü'.repeat(fillBytes / 2)} \\"model\\": \\"x\\""}],"temperature":0.50${stream ? ',"stream":true' : ''}}`;
  return {
    bytes: Buffer.from(`${head}"short"${tail}`, 'utf8'),
    expected: Buffer.from(`${head}"upstream-model-name"${tail}`, 'utf8'),
  };
}

async function post(bytes: Buffer): Promise<Response> {
  const res = await fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-client', 'content-type': 'application/json' }, body: new Uint8Array(bytes) });
  await res.arrayBuffer();
  return res;
}

describe('passthrough with a renamed model', () => {
  it('sends the client bytes unchanged but for the model value, with their exact content-length', async () => {
    seen.length = 0;
    const { bytes, expected } = clientBody(false, 600_000);
    const res = await post(bytes);
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0].raw.equals(expected)).toBe(true);
    expect(seen[0].headers['content-length']).toBe(String(expected.length));
    expect(seen[0].headers['transfer-encoding']).toBeUndefined();
  });

  it('re-sends the same bytes on a bootstrap retry after the stream failed before its first byte', async () => {
    seen.length = 0;
    failNextStreams = 1;
    const { bytes, expected } = clientBody(true, 600_000);
    const res = await post(bytes);
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(2);
    for (const s of seen) {
      expect(s.raw.equals(expected)).toBe(true);
      expect(s.headers['content-length']).toBe(String(expected.length));
    }
  });
});
