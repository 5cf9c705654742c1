import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttemptClock } from '../../../../src-main/engine/pipeline/attempt-clock';
import { readBodyBuffer, sendUpstream, UpstreamNetworkError } from '../../../../src-main/engine/pipeline/send-upstream';
import { ClientSink } from '../../../../src-main/engine/pipeline/sink';
import { protocols } from '../../../../src-main/engine/protocols';

/**
 * The answer of an upstream call as the pipeline reads it: whole and in order, at the reader's
 * pace (the upstream socket pauses while the reader does not read), bounded by the body cap,
 * and stopped — connection closed — when the reader or the attempt gives up.
 */

const BIG = 24 * 1024 * 1024;
let server: http.Server;
let base = '';
const closedEarly: string[] = [];
const dispatcher = new Agent();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.push(req.url ?? '');
    });
    const path = (req.url ?? '').split('?')[0];
    if (path === '/big') {
      // Written in 64 KB pieces, each after the previous was taken by the socket.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-dup': ['a', 'b'] });
      let sent = 0;
      const more = () => {
        while (sent < BIG) {
          const n = Math.min(64 * 1024, BIG - sent);
          const chunk = Buffer.alloc(n, (sent / (64 * 1024)) % 251);
          sent += n;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
      return;
    }
    if (path === '/drip') {
      // Headers, one byte, then silence: only an abort ends this answer.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await dispatcher.destroy();
  await new Promise((r) => server.close(r));
});

const expected = (): Buffer => {
  const out = Buffer.alloc(BIG);
  for (let off = 0; off < BIG; off += 64 * 1024) out.fill((off / (64 * 1024)) % 251, off, Math.min(off + 64 * 1024, BIG));
  return out;
};

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('upstream answers', () => {
  it('reads a large body chunk by chunk, whole and in order, with the answer headers as undici parses them', async () => {
    const res = await sendUpstream({ url: `${base}/big`, method: 'GET', headers: {} }, dispatcher, new AbortController().signal);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['x-dup']).toEqual(['a', 'b']);
    const parts: Buffer[] = [];
    for await (const chunk of res.body) {
      parts.push(chunk);
      // A slow reader: the upstream waits for it.
      if (parts.length % 8 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect(Buffer.concat(parts).equals(expected())).toBe(true);
  });

  it('reads a body whole in one step', async () => {
    const res = await sendUpstream({ url: `${base}/big`, method: 'GET', headers: {} }, dispatcher, new AbortController().signal);
    expect((await readBodyBuffer(res.body)).equals(expected())).toBe(true);
  });

  it('refuses a body over the cap and closes its connection', async () => {
    const res = await sendUpstream({ url: `${base}/big?cap`, method: 'GET', headers: {} }, dispatcher, new AbortController().signal);
    const err = await readBodyBuffer(res.body, 1024 * 1024).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamNetworkError);
    expect((err as UpstreamNetworkError).kind).toBe('too-large');
    await waitFor(() => closedEarly.includes('/big?cap'));
    expect(closedEarly).toContain('/big?cap');
  });

  it('leaving a read early closes the upstream connection', async () => {
    const res = await sendUpstream({ url: `${base}/big?early`, method: 'GET', headers: {} }, dispatcher, new AbortController().signal);
    for await (const chunk of res.body) if (chunk.length) break;
    await waitFor(() => closedEarly.includes('/big?early'));
    expect(closedEarly).toContain('/big?early');
  });

  it('destroying a body while a read waits ends that read and closes the upstream connection', async () => {
    const res = await sendUpstream({ url: `${base}/drip?destroy`, method: 'GET', headers: {} }, dispatcher, new AbortController().signal);
    const it = res.body[Symbol.asyncIterator]();
    expect((await it.next()).value?.toString()).toBe('{');
    const waiting = it.next().then(
      () => 'resolved',
      () => 'rejected',
    );
    res.body.destroy();
    expect(await waiting).toBe('rejected');
    await waitFor(() => closedEarly.includes('/drip?destroy'));
    expect(closedEarly).toContain('/drip?destroy');
  });

  it('the client going away stops a call that is still answering, and says so', async () => {
    const client = new AbortController();
    const clock = new AttemptClock(client.signal);
    const res = await sendUpstream({ url: `${base}/drip`, method: 'GET', headers: {} }, dispatcher, client.signal, { clock });
    const read = readBodyBuffer(res.body, Number.POSITIVE_INFINITY, { signal: client.signal, clock });
    client.abort();
    const err = (await read.catch((e: unknown) => e)) as UpstreamNetworkError;
    expect(err.kind).toBe('aborted');
    await waitFor(() => closedEarly.includes('/drip'));
    expect(closedEarly).toContain('/drip');
    clock.dispose();
  });

  it('a call made after the client left is not answered', async () => {
    const client = new AbortController();
    client.abort();
    const clock = new AttemptClock(client.signal);
    const err = (await sendUpstream({ url: `${base}/ok`, method: 'GET', headers: {} }, dispatcher, client.signal, { clock }).catch((e: unknown) => e)) as UpstreamNetworkError;
    expect(err.kind).toBe('aborted');
    clock.dispose();
  });

  it('a client whose connection closes (its ClientSink) stops the call it waits for', async () => {
    let outcome: Promise<unknown> | undefined;
    const front = http.createServer((_req, res) => {
      const sink = new ClientSink(res as never, protocols['openai-chat']);
      const clock = new AttemptClock(sink);
      outcome = sendUpstream({ url: `${base}/drip?sink`, method: 'GET', headers: {} }, dispatcher, undefined, { clock })
        .then((up) => readBodyBuffer(up.body, Number.POSITIVE_INFINITY, { clock }))
        .catch((e: unknown) => e)
        .finally(() => clock.dispose());
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const req = http.request({ port: (front.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST' });
    req.on('error', () => undefined);
    req.end();
    await waitFor(() => outcome !== undefined);
    // The upstream has answered its headers and is dripping: the client leaves.
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    const err = (await outcome) as UpstreamNetworkError;
    expect(err).toBeInstanceOf(UpstreamNetworkError);
    expect(err.kind).toBe('aborted');
    await waitFor(() => closedEarly.includes('/drip?sink'));
    expect(closedEarly).toContain('/drip?sink');
    await new Promise((r) => front.close(r));
  });
});
