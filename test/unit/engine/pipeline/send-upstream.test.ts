import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendUpstream, readBodyText } from '../../../../src-main/engine/pipeline/send-upstream';

/**
 * The one sender every operation uses: connection-specific fields (RFC 9110 §7.6.1) never go
 * upstream, nor do fields a Connection header names; a body may be a chunk sequence produced
 * while it is written (uploads), framed by the sender.
 */

let server: http.Server;
let url = '';
const seen: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
const dispatcher = new Agent();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/x`;
});
afterAll(async () => {
  await dispatcher.close();
  await new Promise((r) => server.close(r));
});

describe('sendUpstream', () => {
  it('drops connection-specific fields and the fields Connection names, keeps the rest', async () => {
    const res = await sendUpstream(
      {
        url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer k',
          Connection: 'x-per-hop',
          'x-per-hop': '1',
          'Keep-Alive': 'timeout=5',
          'proxy-connection': 'keep-alive',
          te: 'trailers',
          upgrade: 'websocket',
          'content-length': '999',
          'x-end-to-end': 'yes',
        },
        body: '{"a":1}',
      },
      dispatcher,
      new AbortController().signal,
    );
    expect(res.status).toBe(200);
    expect(await readBodyText(res.body)).toBe('ok');
    const h = seen.at(-1)!.headers;
    expect(h['x-end-to-end']).toBe('yes');
    expect(h.authorization).toBe('Bearer k');
    for (const name of ['x-per-hop', 'keep-alive', 'proxy-connection', 'te', 'upgrade']) expect(h[name], name).toBeUndefined();
    // The sender frames the body itself: the stale length given by the caller is not sent.
    expect(h['content-length']).toBe('7');
    expect(seen.at(-1)!.body).toBe('{"a":1}');
  });

  it('sends a chunk sequence as it is produced, once per call', async () => {
    let made = 0;
    const body = function* () {
      made++;
      yield Buffer.from('{"parts":[');
      yield Buffer.from('"x"]}');
    };
    for (let i = 0; i < 2; i++) {
      const res = await sendUpstream({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body }, dispatcher, new AbortController().signal);
      await readBodyText(res.body);
    }
    expect(made).toBe(2);
    expect(seen.slice(-2).map((s) => s.body)).toEqual(['{"parts":["x"]}', '{"parts":["x"]}']);
  });

  it('sends pieces in order under their total content-length, and again on the next call', async () => {
    const pieces = [Buffer.from('{"model":'), Buffer.alloc(0), Buffer.from('"é"'), Buffer.from(',"a":1}')];
    for (let i = 0; i < 2; i++) {
      const res = await sendUpstream({ url, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1' }, body: pieces }, dispatcher, new AbortController().signal);
      await readBodyText(res.body);
    }
    for (const s of seen.slice(-2)) {
      expect(s.body).toBe('{"model":"é","a":1}');
      expect(s.headers['content-length']).toBe(String(Buffer.byteLength('{"model":"é","a":1}')));
      expect(s.headers['transfer-encoding']).toBeUndefined();
    }
  });
});
