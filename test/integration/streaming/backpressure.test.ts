import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../harness';

/**
 * Backpressure end to end: the client's socket decides how fast the proxy reads the upstream.
 * The upstream here streams without end, as fast as its socket takes bytes, and counts them;
 * the client stops reading after the first bytes. A proxy that kept reading would buffer the
 * upstream in memory without bound; ours stops pulling, so the upstream's writes stall with
 * only the sockets' own buffers in flight, resume when the client reads again, and stop when
 * the client leaves.
 */
interface EndlessUpstream {
  url: string;
  /** Body bytes the upstream's socket accepted so far (this request). */
  written: number;
  /** The upstream waits for `drain` (its socket is full). */
  stalled: boolean;
  /** The proxy closed the upstream connection. */
  closed: boolean;
  close(): Promise<void>;
}

const MB = 1024 * 1024;
/** More than every socket buffer on the way together: past this, the proxy is hoarding. */
const BOUND = 64 * MB;

async function startEndlessUpstream(): Promise<EndlessUpstream> {
  const piece = (text: string) => `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'endless', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
  const block = Buffer.from(piece('x'.repeat(16 * 1024)));
  const state: EndlessUpstream = { url: '', written: 0, stalled: false, closed: false, close: async () => undefined };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
      state.written = 0;
      state.closed = false;
      res.on('close', () => (state.closed = true));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(piece('start '));
      const pump = () => {
        state.stalled = false;
        while (!res.destroyed && state.written < 4 * BOUND) {
          state.written += block.length;
          if (!res.write(block)) {
            state.stalled = true;
            return void res.once('drain', pump);
          }
        }
      };
      pump();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  return state;
}

/** A raw HTTP client that reads the first bytes of the answer, then stops reading. */
function pausedClient(url: string, path: string, body: unknown): Promise<{ socket: net.Socket; head: string }> {
  const { port } = new URL(url);
  const json = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\nanthropic-version: 2023-06-01\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    });
    socket.once('data', (d: Buffer) => {
      socket.pause();
      resolve({ socket, head: d.toString('latin1') });
    });
    socket.on('error', reject);
  });
}

const turn = () => new Promise((r) => setTimeout(r, 25));

/** Wait until the upstream's writes have stood still (stalled on `drain`) for a while, or it passed the bound. */
async function untilStalledOrPast(up: EndlessUpstream, bound: number): Promise<void> {
  let last = -1;
  let still = 0;
  while (still < 12 && up.written <= bound) {
    await turn();
    still = up.stalled && up.written === last ? still + 1 : 0;
    last = up.written;
  }
}

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 800 && !ok(); i++) await turn();
}

describe('backpressure end to end: a client that does not read stops the reads from the upstream', () => {
  let up: EndlessUpstream;
  let engine: RunningEngine;
  beforeAll(async () => {
    up = await startEndlessUpstream();
    engine = await startEngine(`host: 127.0.0.1
port: 0
usage-sqlite:
  enable: false
openai-compatibility:
  - name: endless
    base-url: ${up.url}/v1
    api-key: sk-up
    models:
      - name: endless
`);
  });
  afterAll(async () => {
    await engine?.close();
    await up?.close();
  });

  const routes = [
    { name: 'passthrough (OpenAI Chat)', path: '/v1/chat/completions', body: { model: 'endless', stream: true, messages: [{ role: 'user', content: 'go' }] } },
    { name: 'translated (Claude Messages)', path: '/v1/messages', body: { model: 'endless', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'go' }] } },
  ];

  for (const route of routes) {
    it(`${route.name}: bounded while the client is paused, flowing again when it reads, stopped when it leaves`, async () => {
      const { socket, head } = await pausedClient(engine.url, route.path, route.body);
      expect(head).toMatch(/^HTTP\/1\.1 200/);

      await untilStalledOrPast(up, BOUND);
      expect(up.stalled).toBe(true);
      expect(up.written).toBeLessThan(BOUND);
      const stalledAt = up.written;

      // The client reads again: the upstream is read again.
      socket.on('data', () => undefined);
      socket.resume();
      await until(() => up.written > stalledAt + 4 * MB);
      expect(up.written).toBeGreaterThan(stalledAt + 4 * MB);

      // The client leaves: the proxy closes the upstream stream too.
      socket.destroy();
      await until(() => up.closed);
      expect(up.closed).toBe(true);
    }, 60_000);
  }
});
