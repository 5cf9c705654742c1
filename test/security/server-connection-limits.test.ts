import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startCountingUpstream, type CountingUpstream } from './support/fake-openai-upstream';
import { openRawSocket } from './support/raw-socket';
import { rawClient } from './support/raw-http';
import { CLIENT_KEY, MODEL, expectWireError, hostileConfig } from './support/routes';

/**
 * D8 slowloris: clients that dribble headers or bodies are cut after the configured time, idle
 * keep-alive connections are closed, connections are capped — and none of it cuts a long SSE
 * response. D23: oversized request lines and headers get an answer in the caller's format.
 *
 * The limits are set far below their defaults so the server's own timers fire within a second;
 * each wait is for an event (socket closed), bounded by a generous cap.
 */

let upstream: CountingUpstream;
let sy: RunningEngine;
let http: ReturnType<typeof rawClient>;
const auth = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' };

beforeAll(async () => {
  upstream = await startCountingUpstream();
  sy = await startEngine(
    hostileConfig(upstream.url, ['client-timeouts: {headers-seconds: 0.4, body-seconds: 0.8, keep-alive-seconds: 0.4, max-connections: 12}']),
  );
  http = rawClient(sy.url, { maxSockets: 2 });
});

afterAll(async () => {
  http?.close();
  await sy?.close();
  await upstream?.close();
});

/** Parse the status line and JSON body of a raw HTTP answer. */
function parseAnswer(raw: string): { status: number; body: unknown } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
  const i = raw.indexOf('\r\n\r\n');
  const text = i >= 0 ? raw.slice(i + 4) : '';
  return { status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('D8: slow clients are cut, long responses are not', () => {
  it('a client that never finishes its headers is answered 408 and disconnected', async () => {
    const s = await openRawSocket(sy.url);
    s.socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1`);
    const end = await s.closed;
    expect(end.closedByServer).toBe(true);
    expect(parseAnswer(end.data).status).toBe(408);
  });

  it('a client that dribbles its body is answered 408 and disconnected', async () => {
    const s = await openRawSocket(sy.url);
    s.socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${CLIENT_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":`);
    const end = await s.closed;
    expect(end.closedByServer).toBe(true);
    expect(end.data).toMatch(/^HTTP\/1\.1 408/);
    expect(upstream.hits).toBe(0);
  });

  it('an idle keep-alive connection is closed by the server', async () => {
    const s = await openRawSocket(sy.url);
    s.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const end = await s.closed;
    expect(end.closedByServer).toBe(true);
    expect(parseAnswer(end.data).status).toBe(200);
  });

  it('connections past the cap are dropped; the server serves again once they go', async () => {
    const held = await Promise.all(Array.from({ length: 12 }, () => openRawSocket(sy.url)));
    // Wait until the server has accepted all twelve (each answers a request).
    await Promise.all(held.map(async (s) => {
      s.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      while (!s.received().includes('\r\n\r\n')) await new Promise((r) => s.socket.once('data', r));
    }));
    const extra = await openRawSocket(sy.url);
    extra.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const dropped = await extra.closed;
    expect(dropped.closedByServer).toBe(true);
    expect(dropped.data).toBe('');
    for (const s of held) s.socket.destroy();
    await Promise.all(held.map((s) => s.closed));
    const again = await fetch(`${sy.url}/healthz`);
    expect(again.status).toBe(200);
  });

  it('an SSE response that lasts longer than every client timeout is delivered whole', async () => {
    const started = Date.now();
    const res = await http.send('POST', '/v1/chat/completions', { headers: auth, body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(Date.now() - started).toBeGreaterThan(1000); // longer than body-seconds and keep-alive-seconds
    expect(res.status).toBe(200);
    for (let n = 1; n <= 8; n++) expect(res.text).toContain(`c${n} `);
    expect(res.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});

describe('D23: oversized request lines and headers are answered in the caller’s format', () => {
  it('a 60 KB Gemini model path → 400 INVALID_ARGUMENT, not an empty 431', async () => {
    const res = await http.send('POST', `/v1beta/models/${'g'.repeat(60 * 1024)}:generateContent`, { headers: auth, body: '{"contents":[]}' });
    expect(res.status).toBe(400);
    expectWireError('gemini', res.json(), 400, { gemini: 'INVALID_ARGUMENT' });
  });

  it('a 200 KB Gemini path → 414/431 with a body the Gemini SDK parses', async () => {
    const res = await http.send('POST', `/v1beta/models/${'g'.repeat(200 * 1024)}:generateContent`, { headers: auth, body: '{}' });
    expect([414, 431]).toContain(res.status);
    expectWireError('gemini', res.json(), res.status);
  });

  it('a path past the header limit whose start line is seen → 414/431 in that route’s format', async () => {
    const s = await openRawSocket(sy.url);
    s.socket.write(`GET /v1/messages/${'m'.repeat(130 * 1024)}`);
    const end = await s.closed;
    const answer = parseAnswer(end.data);
    expect([414, 431]).toContain(answer.status);
    expectWireError('claude-messages', answer.body, answer.status);
  });

  it('200 KB of headers on a Claude route → 431 with a Claude error body', async () => {
    const res = await http.send('POST', '/v1/messages', { headers: { ...auth, 'x-padding': 'p'.repeat(200 * 1024) }, body: JSON.stringify({ model: MODEL }) });
    expect(res.status).toBe(431);
    expectWireError('claude-messages', res.json(), 431);
  });

  it('garbage instead of HTTP gets a 400 with a JSON body', async () => {
    const s = await openRawSocket(sy.url);
    s.socket.write('HELLO WORLD\r\n\r\n');
    const end = await s.closed;
    expect(parseAnswer(end.data).status).toBe(400);
  });
});
