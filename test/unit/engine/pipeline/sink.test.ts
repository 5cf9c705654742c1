import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientSink } from '../../../../src-main/engine/pipeline/sink';
import { protocols } from '../../../../src-main/engine/protocols';

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/**
 * Serve one request with `handle`, recording every chunk the response's socket hands to the
 * kernel (writev batches count once); returns those writes and the raw bytes the client read.
 */
async function serveOnce(handle: (sink: ClientSink, writes: readonly string[]) => void): Promise<{ writes: string[]; raw: string }> {
  const writes: string[] = [];
  server = http.createServer((req, res) => {
    const socket = res.socket as net.Socket & { _writeGeneric: (writev: boolean, data: unknown, enc: string, cb: () => void) => void };
    const original = socket._writeGeneric.bind(socket);
    socket._writeGeneric = (writev, data, enc, cb) => {
      const parts = writev ? (data as { chunk: Buffer | string }[]).map((d) => String(d.chunk)) : [String(data)];
      writes.push(parts.join(''));
      return original(writev, data, enc, cb);
    };
    req.resume();
    req.on('end', () => handle(new ClientSink(res as unknown as Response, protocols['openai-chat']), writes));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const raw = await new Promise<string>((resolve, reject) => {
    let got = '';
    const c = net.connect(port, '127.0.0.1', () => c.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
    c.on('data', (d) => (got += d.toString()));
    c.on('end', () => resolve(got));
    c.on('error', reject);
  });
  return { writes, raw };
}

describe('ClientSink streams', () => {
  it('sends the response head and the first event in one write', async () => {
    const { writes, raw } = await serveOnce((sink) => {
      sink.startStream('text/event-stream');
      void sink.write('data: {"a":1}\n\n');
      setImmediate(() => sink.end('data: [DONE]\n\n'));
    });
    expect(writes[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(writes[0]).toContain('content-type: text/event-stream; charset=utf-8');
    expect(writes[0]).toContain('data: {"a":1}\n\n');
    expect(raw).toContain('data: [DONE]\n\n');
  });

  it('still sends the head at once when no event follows in the same tick', async () => {
    let headSeenBeforeEvent = false;
    await serveOnce((sink, writes) => {
      sink.startStream();
      // Two ticks later, before any event: the head has gone out on its own.
      setImmediate(() => {
        headSeenBeforeEvent = writes.length === 1 && /^HTTP\/1\.1 200 OK/.test(writes[0]);
        sink.end('data: [DONE]\n\n');
      });
    });
    expect(headSeenBeforeEvent).toBe(true);
  });
});

describe('ClientSink JSON answers', () => {
  it('sends the head and the whole body in one write, with the JSON content type and length', async () => {
    const body = Buffer.from('{"id":"chatcmpl-1","object":"chat.completion"}');
    const { writes, raw } = await serveOnce((sink) => sink.sendJson(200, body));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).toContain(`\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${body.length}\r\n`);
    expect(raw.endsWith(`\r\n\r\n${body.toString()}`)).toBe(true);
  });

  it('writes an error in the format with Retry-After before the body headers', async () => {
    const { raw } = await serveOnce((sink) => sink.sendError({ status: 429, kind: 'rate_limit', message: 'slow down', retryAfterSeconds: 2.2 }));
    expect(raw).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Type: application\/json; charset=utf-8\r\nContent-Length: \d+\r\n/);
    const json = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { error: { message: string } };
    expect(json.error.message).toBe('slow down');
  });
});
