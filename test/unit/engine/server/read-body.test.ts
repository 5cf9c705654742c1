import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { readBody, type BodyReadError } from '../../../../src-main/engine/server/read-body';

/**
 * The lean path's body reader: the whole body whatever pieces it arrives in, at most one copy
 * (one buffer of the declared length; a body in one piece is used as it is), and the body
 * parser's refusals. Requests are written raw so the pieces are the test's choice.
 */

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

type Read = { err?: BodyReadError | Error; body?: Buffer };

/** Serve one request through readBody; the client writes `pieces` with a pause after each. */
async function readOnce(head: string, pieces: Buffer[], limit = 1 << 20): Promise<Read> {
  let resolveRead!: (r: Read) => void;
  const result = new Promise<Read>((resolve) => (resolveRead = resolve));
  server = http.createServer((req, res) => {
    readBody(req, limit, (err, body) => {
      resolveRead({ err, body });
      res.end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server!.address() as AddressInfo;
  const c = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => c.once('connect', r));
  c.write(`POST / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n${head}\r\n`);
  for (const p of pieces) {
    await new Promise<void>((r) => c.write(p, () => r()));
    await new Promise((r) => setTimeout(r, 5));
  }
  c.on('data', () => {});
  c.on('error', () => {});
  const out = await result;
  c.destroy();
  return out;
}

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('readBody', () => {
  it('reads a body that arrives in one piece', async () => {
    const body = Buffer.from('{"model":"m","messages":[]}');
    const r = await readOnce(`content-length: ${body.length}\r\n`, [body]);
    expect(r.err).toBeUndefined();
    expect(r.body?.equals(body)).toBe(true);
  });

  it('joins a body with a declared length that arrives in pieces into one buffer of that length', async () => {
    const pieces = [bytes(70_000, 1), bytes(5, 2), bytes(130_001, 3)];
    const whole = Buffer.concat(pieces);
    const r = await readOnce(`content-length: ${whole.length}\r\n`, pieces);
    expect(r.err).toBeUndefined();
    expect(r.body?.length).toBe(whole.length);
    expect(r.body?.equals(whole)).toBe(true);
  });

  it('joins a chunked body (no declared length)', async () => {
    const pieces = [bytes(1000, 4), bytes(3000, 5)];
    const wire = pieces.map((p) => Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from('\r\n')]));
    const r = await readOnce('transfer-encoding: chunked\r\n', [...wire, Buffer.from('0\r\n\r\n')]);
    expect(r.err).toBeUndefined();
    expect(r.body?.equals(Buffer.concat(pieces))).toBe(true);
  });

  it('refuses a body over the limit as the body parser does', async () => {
    const r = await readOnce('transfer-encoding: chunked\r\n', [Buffer.from('20\r\n' + 'x'.repeat(32) + '\r\n'), Buffer.from('20\r\n' + 'y'.repeat(32) + '\r\n0\r\n\r\n')], 40);
    expect(r.err).toMatchObject({ status: 413, type: 'entity.too.large', message: 'request entity too large' });
  });

  it('gives an empty body when the request has none', async () => {
    const r = await readOnce('content-length: 0\r\n', []);
    expect(r.err).toBeUndefined();
    expect(r.body?.length).toBe(0);
  });
});
