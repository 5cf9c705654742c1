import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { writeJson } from '../../../../src-main/engine/server/json-response';

/**
 * Issue 16: the model routes answer with Node's writeHead + end instead of Express's response
 * helpers. What Express's `res.status(s).json(v)` and `res.status(s).type('application/json')
 * .send(bytes)` put on the wire is the specification here: the same app serves each case once
 * through Express's helpers and once through writeJson, and the raw bytes (status line, every
 * header line in its order and case, body) must be equal but for the Date.
 */

interface Case {
  name: string;
  status: number;
  body: unknown;
  /** Send the body as bytes (the passthrough relay's upstream answer) rather than a value. */
  asBytes?: boolean;
  /** Headers the request gate sets before the answer (x-request-id, CORS, Retry-After). */
  before?: Record<string, string>;
}

const CASES: Case[] = [
  { name: 'a served answer', status: 200, body: { id: 'chatcmpl-1', choices: [{ message: { content: 'héllo ✓' } }] } },
  { name: 'the same answer as bytes', status: 200, body: Buffer.from('{"id":"chatcmpl-1","x":"héllo ✓"}'), asBytes: true },
  { name: 'an error after the gate set headers', status: 429, body: { error: { message: 'slow down' } }, before: { 'x-request-id': 'r-1', 'Retry-After': '7' } },
  {
    name: 'with CORS headers',
    status: 401,
    body: { error: { message: 'Invalid API key.' } },
    before: { 'x-request-id': 'r-2', 'Access-Control-Allow-Origin': 'https://app.example', 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' },
  },
  { name: 'a long body (Express makes it a Buffer past 1000 characters)', status: 200, body: { text: 'ü'.repeat(3000) } },
  { name: 'a value JSON drops', status: 200, body: undefined },
  { name: 'no content', status: 204, body: { a: 1 } },
  { name: 'reset content', status: 205, body: { a: 1 } },
];

const app = express();
app.set('etag', false);
app.disable('x-powered-by');
app.post('/:how/:i', (req, res) => {
  const c = CASES[Number(req.params.i)];
  for (const [k, v] of Object.entries(c.before ?? {})) res.setHeader(k, v);
  const text = Buffer.isBuffer(c.body) ? c.body : (JSON.stringify(c.body) as string | undefined);
  if (req.params.how === 'lean') return writeJson(res, c.status, text);
  if (c.asBytes) return res.status(c.status).type('application/json').send(c.body);
  res.status(c.status).json(c.body);
});
const server = http.createServer(app);
let port = 0;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

/** The whole raw answer to one POST on its own connection, Date masked. */
function rawPost(path: string, method = 'POST'): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(`${method} ${path} HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`));
    const got: Buffer[] = [];
    c.on('data', (d: Buffer) => got.push(d));
    c.on('end', () => resolve(Buffer.concat(got).toString('latin1').replace(/\r\nDate: [^\r]*/, '\r\nDate: -')));
    c.on('error', reject);
  });
}

describe('writeJson puts on the wire exactly what Express’s JSON helpers do', () => {
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const viaExpress = await rawPost(`/express/${i}`);
    const lean = await rawPost(`/lean/${i}`);
    expect(viaExpress).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(lean).toBe(viaExpress);
  });

  it('sends head and body of an answer in one write', async () => {
    const writes: string[] = [];
    const one = http.createServer((_req, res) => {
      const socket = res.socket as net.Socket & { _writeGeneric: (writev: boolean, data: unknown, enc: string, cb: () => void) => void };
      const original = socket._writeGeneric.bind(socket);
      socket._writeGeneric = (writev, data, enc, cb) => {
        writes.push(writev ? (data as { chunk: Buffer | string }[]).map((d) => String(d.chunk)).join('') : String(data));
        return original(writev, data, enc, cb);
      };
      writeJson(res, 200, '{"ok":true}');
    });
    await new Promise<void>((r) => one.listen(0, '127.0.0.1', r));
    const { port: p } = one.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${p}/`, { method: 'POST' });
    expect(await res.text()).toBe('{"ok":true}');
    await new Promise<void>((r) => one.close(() => r()));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"ok":true\}$/);
  });
});
