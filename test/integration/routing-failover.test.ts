import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from './harness';

/**
 * The routing layer inside the real engine, over real HTTP on 127.0.0.1: a scripted
 * OpenAI-compatible upstream whose keys fail on cue. (Integration-style; lives with the routing
 * tests because it is their acceptance check.)
 */
type Behaviour = 'ok' | '429' | '500' | 'cut-after-first-chunk';

interface FakeUpstream {
  url: string;
  calls: Record<string, number>;
  script: (key: string, stream: boolean) => Behaviour;
  close(): Promise<void>;
}

const chunk = (key: string, delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: `chatcmpl-${key}`, object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

async function fakeUpstream(): Promise<FakeUpstream> {
  const state: FakeUpstream = { url: '', calls: {}, script: () => 'ok', close: async () => undefined };
  const server = http.createServer((req, res) => {
    // Model-list reads (GET /v1/models) are not model calls: this gateway has no list.
    if (req.method === 'GET') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      state.calls[key] = (state.calls[key] ?? 0) + 1;
      const body = JSON.parse(Buffer.concat(parts).toString()) as { stream?: boolean };
      const stream = body.stream === true;
      const b = state.script(key, stream);
      if (b === '429') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' });
        res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }));
        return;
      }
      if (b === '500') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }));
        return;
      }
      if (!stream) {
        const out = JSON.stringify({
          id: `chatcmpl-${key}`,
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: `hi from ${key}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
        res.end(out);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk(key, { role: 'assistant', content: `hi from ${key}` }));
      if (b === 'cut-after-first-chunk') {
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.end(`${chunk(key, {}, 'stop')}data: [DONE]\n\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return state;
}

function config(upstream: string, keys: string[], extra = ''): string {
  return `host: 127.0.0.1
port: 0
usage-sqlite:
  enable: false
request-retry: 1
max-retry-interval: 0
${extra}
openai-compatibility:
  - name: fake
    base-url: ${upstream}/v1
    api-key-entries:
${keys.map((k) => `      - api-key: ${k}`).join('\n')}
    models:
      - name: m
`;
}

async function chat(url: string, stream = false): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
  let text = '';
  try {
    text = await res.text();
  } catch (err) {
    text = `<<body error: ${(err as Error).message}>>`;
  }
  return { status: res.status, text };
}

describe('routing inside the engine (loopback)', () => {
  let up: FakeUpstream;
  let engine: RunningEngine | undefined;

  beforeAll(async () => {
    up = await fakeUpstream();
  });
  afterAll(async () => {
    await engine?.close();
    await up.close();
  });

  it('2,000 requests over 4 keys, one 429ing from halfway: zero client-visible errors', async () => {
    engine = await startEngine(config(up.url, ['k1', 'k2', 'k3', 'k4']));
    up.calls = {};
    let served = 0;
    up.script = (key) => (key === 'k4' && served >= 1000 ? '429' : 'ok');
    const byKey: Record<string, number> = {};
    const errors: Array<{ status: number; text: string }> = [];
    let next = 0;
    const worker = async () => {
      while (next < 2000) {
        next++;
        const r = await chat(engine!.url);
        served++;
        if (r.status !== 200) {
          errors.push(r);
          continue;
        }
        const id = (JSON.parse(r.text) as { id: string }).id.replace('chatcmpl-', '');
        byKey[id] = (byKey[id] ?? 0) + 1;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, worker));
    const elapsed = performance.now() - t0;
    console.log(`served by key ${JSON.stringify(byKey)} in ${Math.round(elapsed)} ms; upstream calls ${JSON.stringify(up.calls)}; errors ${errors.length}`);
    expect(errors).toEqual([]);
    expect(Object.values(byKey).reduce((a, b) => a + b, 0)).toBe(2000);
    // k4 took its share until it started failing, then was benched (Retry-After 30 s) after one 429.
    expect(byKey.k4).toBeGreaterThan(200);
    expect(byKey.k4).toBeLessThan(300);
    // A few were in flight when the first 429 landed (8 workers), plus one probe per 30 s window.
    expect(up.calls.k4 - byKey.k4).toBeLessThanOrEqual(16);
    for (const k of ['k1', 'k2', 'k3']) expect(byKey[k]).toBeGreaterThan(550);
    await engine.close();
    engine = undefined;
  }, 180_000);

  it('fails over before the first byte, never after it', async () => {
    engine = await startEngine(config(up.url, ['s1', 's2'], 'routing:\n  strategy: fill-first'));
    up.calls = {};
    up.script = (key, stream) => (key === 's1' ? (stream ? 'cut-after-first-chunk' : '500') : 'ok');

    const before = await chat(engine.url, false);
    expect(before.status).toBe(200);
    expect(before.text).toContain('hi from s2');
    expect(up.calls).toEqual({ s1: 1, s2: 1 });

    // s1 is now cooling (500 → 1 min); lift it so the stream goes to s1 first.
    engine.engine.routing.resetCooldowns();
    up.calls = {};
    const after = await chat(engine.url, true);
    expect(after.status).toBe(200);
    expect(after.text).toContain('hi from s1');
    expect(after.text).not.toContain('hi from s2');
    expect(up.calls).toEqual({ s1: 1 });
    await engine.close();
    engine = undefined;
  }, 30_000);

  it('all keys cooling → 429 with Retry-After in the caller format', async () => {
    engine = await startEngine(config(up.url, ['c1', 'c2']));
    up.script = () => '429';
    const first = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(first.status).toBe(429);
    const retryAfter = Number(first.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(29);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const body = (await first.json()) as { error: { code?: string; message: string } };
    expect(body.error.message).toContain('All credentials for model m are cooling down');
    expect(body.error.code).toBe('model_cooldown');
    expect(body.error).toMatchObject({ model: 'm', reset_seconds: retryAfter });
    await engine.close();
    engine = undefined;
  }, 30_000);
});
