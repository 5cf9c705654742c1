import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import OpenAI from 'openai';
import { WebSocket } from 'ws';
import { ResponsesWS } from 'openai/resources/responses/ws';
import { CLIENT_KEY, startWsWorld, type WsWorld } from './world';
import { codexHeaders, ResponsesSocket, textOf, type ServerEvent } from './socket-client';

/**
 * The WebSocket transport itself: the handshake is authorised exactly like an HTTP request
 * (client key, Host/Origin guard, case-sensitive path), failures come back as Responses
 * WebSocket error events (`{type:"error", status, error:{type,code,message,param}}`, the shape
 * Codex maps to an HTTP status), responses run one at a time per connection, closing the
 * socket cancels the upstream, and messages and conversations are bounded.
 */

const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const create = (model: string, input: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'response.create', model, store: false, input, ...extra });

let w: WsWorld;

beforeAll(async () => {
  w = await startWsWorld(
    {
      openai: (raw, _kind, headers) => {
        if (headers.authorization === 'Bearer sk-up-codex-broken') return { status: 500, errorBody: { error: { message: 'upstream exploded', type: 'server_error' } } };
        if (raw.includes('QUEUED')) return { text: ['po', 'ng'], quirks: { delayMs: 20 }, usage: { input: 5, output: 2 } };
        if (raw.includes('SLOW')) return { text: Array.from({ length: 40 }, () => 'tick '), quirks: { delayMs: 50 }, usage: { input: 5, output: 40 } };
        return { text: ['po', 'ng'], usage: { input: 5, output: 2 } };
      },
      steps: (raw) =>
        raw.includes('LIMITED')
          ? { error: { status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests exceeded.' } }, headers: { 'retry-after': '7' } } }
          : { steps: [{ type: 'text', text: 'pong' }], usage: { input: 5, output: 2 } },
    },
    ['body-limit-mb: 1'],
  );
});

afterAll(async () => {
  await w?.close();
});

const open = () => ResponsesSocket.open(w.wsUrl, codexHeaders(CLIENT_KEY));

function errorOf(events: ServerEvent[]): { status: number; error: Record<string, unknown>; headers?: Record<string, string> } {
  const ev = events.at(-1)!;
  expect(ev.type).toBe('error');
  return ev as unknown as { status: number; error: Record<string, unknown>; headers?: Record<string, string> };
}

describe('handshake authorisation (the same rules as HTTP)', () => {
  it('refuses the upgrade with 401 in the OpenAI error shape when the key is missing or wrong', async () => {
    for (const key of [undefined, 'sk-wrong']) {
      const r = await ResponsesSocket.refused(w.wsUrl, codexHeaders(key));
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ error: { type: 'authentication_error', code: 'invalid_api_key' } });
    }
  });

  it('answers the handshake with the request id, like every HTTP answer', async () => {
    const id = await new Promise<string | undefined>((resolve, reject) => {
      const socket = new WebSocket(w.wsUrl, { headers: codexHeaders(CLIENT_KEY) });
      socket.once('upgrade', (res) => {
        resolve(res.headers['x-request-id'] as string | undefined);
        socket.close();
      });
      socket.once('error', reject);
    });
    expect(id).toMatch(/^[\w.-]{1,64}$/);
  });

  it('accepts the key where HTTP accepts it (x-api-key as well as Bearer)', async () => {
    const headers = codexHeaders(undefined);
    const socket = await ResponsesSocket.open(w.wsUrl, { ...headers, 'x-api-key': CLIENT_KEY });
    socket.send(create('gpt-5.5', [user('hi')]));
    expect(textOf(await socket.nextResponse())).toBe('pong');
    await socket.close();
  });

  it('refuses a foreign Host or browser Origin with 403', async () => {
    const port = new URL(w.wsUrl).port;
    const byHost = await ResponsesSocket.refused(w.wsUrl, { ...codexHeaders(CLIENT_KEY), host: `evil.example:${port}` });
    expect(byHost.status).toBe(403);
    const byOrigin = await ResponsesSocket.refused(w.wsUrl, { ...codexHeaders(CLIENT_KEY), origin: 'https://evil.example' });
    expect(byOrigin.status).toBe(403);
  });

  it('matches the path case-sensitively, and a plain GET is told to upgrade', async () => {
    const wrongCase = await ResponsesSocket.refused(w.wsUrl.replace('/v1/responses', '/v1/Responses'), codexHeaders(CLIENT_KEY));
    expect(wrongCase.status).toBe(404);
    const plain = await fetch(`${w.sy.url}/v1/responses`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    expect(plain.status).toBe(426);
    expect(plain.headers.get('upgrade')).toBe('websocket');
    expect(((await plain.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});

/** A request with `Upgrade: h2c`, as `curl --http2` sends on http:// URLs. */
function h2cRequest(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  const u = new URL(w.sy.url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      method,
      path,
      headers: { connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'http2-settings': 'AAMAAABkAARAAAAAAAIAAAAA', authorization: `Bearer ${CLIENT_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('upgrade', () => reject(new Error('unexpected upgrade')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('other upgrade requests', () => {
  it('answers an h2c probe without a body over HTTP/1.1, as before', async () => {
    const r = await h2cRequest('GET', '/v1/models');
    expect(r.status).toBe(200);
    expect((JSON.parse(r.body) as { data: unknown[] }).data.length).toBeGreaterThan(0);
  });

  it('refuses an h2c upgrade that carries a body (Node does not pass the body on) with a 400 that says why', async () => {
    const r = await h2cRequest('POST', '/v1/responses', JSON.stringify({ model: 'gpt-5.5', input: 'hi' }));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('Upgrade: h2c') } });
  });
});

describe('error events', () => {
  it('answers an unknown previous_response_id with previous_response_not_found, and the connection keeps serving', async () => {
    const socket = await open();
    socket.send(create('gpt-5.5', [user('hi')], { previous_response_id: 'resp_not_here' }));
    const err = errorOf(await socket.nextResponse());
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'previous_response_not_found', param: 'previous_response_id' });
    socket.send(create('gpt-5.5', [user('hi')]));
    expect(textOf(await socket.nextResponse())).toBe('pong');
    await socket.close();
  });

  it('reports an unserved model as 404 model_not_found, for a warm-up and for a turn', async () => {
    const socket = await open();
    socket.send(create('no-such-model', [user('hi')], { generate: false }));
    expect(errorOf(await socket.nextResponse())).toMatchObject({ status: 404, error: { code: 'model_not_found' } });
    socket.send(create('no-such-model', [user('hi')]));
    expect(errorOf(await socket.nextResponse())).toMatchObject({ status: 404, error: { code: 'model_not_found' } });
    await socket.close();
  });

  it('refuses messages that are not response.create JSON text', async () => {
    const socket = await open();
    socket.ws.send('{not json');
    expect(errorOf(await socket.nextResponse())).toMatchObject({ status: 400, error: { type: 'invalid_request_error' } });
    socket.send({ type: 'session.update' });
    expect(errorOf(await socket.nextResponse())).toMatchObject({ status: 400, error: { code: 'unknown_event_type', param: 'type' } });
    socket.ws.send(Buffer.from('{}'), { binary: true });
    expect(errorOf(await socket.nextResponse())).toMatchObject({ status: 400 });
    socket.send(create('gpt-5.5', [user('hi')], { background: true }));
    expect(errorOf(await socket.nextResponse())).toMatchObject({ status: 400, error: { param: 'background' } });
    await socket.close();
  });
});

describe('one pipeline behind the socket', () => {
  it('chains a turn onto a warm-up: the upstream gets the warm-up input followed by the new one', async () => {
    const socket = await open();
    const developer = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Answer with pong.' }] };
    socket.send(create('ws-claude', [developer], { generate: false }));
    const warm = await socket.nextResponse();
    const warmId = String((warm.at(-1)!.response as { id: string }).id);
    socket.send(create('ws-claude', [user('ping after warm-up')], { previous_response_id: warmId }));
    expect(textOf(await socket.nextResponse())).toBe('pong');
    const body = w.calls.claude.at(-1)!.body as { system?: unknown; messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(body.system)).toContain('Answer with pong.');
    expect(body.messages).toHaveLength(1);
    expect(JSON.stringify(body.messages[0].content)).toContain('ping after warm-up');
    await socket.close();
  });

  it('fails over before the first event: a broken first key is invisible to the client', async () => {
    const before = w.calls.codex.length;
    const recordsBefore = w.records.length;
    const socket = await open();
    socket.send(create('ws-failover', [user('hi')]));
    const events = await socket.nextResponse();
    expect(events[0].type).toBe('response.created');
    expect(textOf(events)).toBe('pong');
    const tried = w.calls.codex.slice(before).map((c) => c.headers.authorization);
    expect(tried).toEqual(['Bearer sk-up-codex-broken', 'Bearer sk-up-codex']);
    expect(w.records.slice(recordsBefore)).toEqual([expect.objectContaining({ status: 200, attempts: 2 })]);
    await socket.close();
  });

  it('runs responses one at a time: a second response.create waits for the first to finish', async () => {
    const socket = await open();
    socket.send(create('gpt-5.5', [user('first')]));
    socket.send(create('ws-claude', [user('second')]));
    const first = await socket.nextResponse();
    const second = await socket.nextResponse();
    expect(first.at(-1)!.type).toBe('response.completed');
    expect(second.at(-1)!.type).toBe('response.completed');
    expect((first[0].response as { model: string }).model).toBe('gpt-5.5');
    expect((second[0].response as { model: string }).model).toBe('ws-claude');
    await socket.close();
  });

  it('lets a few response.create wait behind the running one and refuses more with response_already_in_flight', async () => {
    const socket = await open();
    for (let i = 0; i < 7; i++) socket.send(create('gpt-5.5', [user(`QUEUED ${i}`)]));
    const ends: ServerEvent[] = [];
    while (ends.filter((e) => e.type === 'response.completed').length < 5) {
      const ev = await socket.next();
      if (!ev) throw new Error('socket closed');
      if (ev.type === 'response.completed' || ev.type === 'error') ends.push(ev);
    }
    const refused = ends.filter((e) => e.type === 'error');
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r).toMatchObject({ status: 400, error: { code: 'response_already_in_flight' } });
    await socket.close();
  });

  it('cancels the upstream request when the client closes the socket mid-response', async () => {
    const before = w.calls.codex.length;
    const socket = await open();
    socket.send(create('gpt-5.5', [user('SLOW please')]));
    for (let ev = await socket.next(); ev && ev.type !== 'response.output_text.delta'; ev = await socket.next());
    await socket.close();
    const call = w.calls.codex[before];
    await expect.poll(() => call.aborted?.()).toBe(true);
  });

  it('serves the official OpenAI SDK WebSocket client', async () => {
    const client = new OpenAI({ baseURL: `${w.sy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const rws = new ResponsesWS(client);
    const seen: string[] = [];
    let text = '';
    const done = new Promise<void>((resolve, reject) => {
      rws.on('event', (ev) => {
        seen.push(ev.type);
        if (ev.type === 'response.output_text.delta') text += ev.delta;
        if (ev.type === 'response.completed') resolve();
      });
      rws.on('error', (err) => reject(err));
    });
    rws.send({ type: 'response.create', model: 'ws-gemini', input: 'ping', store: false });
    await done;
    rws.close();
    expect(text).toBe('pong');
    expect(seen[0]).toBe('response.created');
  });
});

describe('bounds', () => {
  it('closes the connection with 1009 on a message over the body limit', async () => {
    const socket = await open();
    socket.send(create('gpt-5.5', [user('x'.repeat(1_100_000))]));
    expect(await socket.next()).toBeUndefined();
    expect(socket.closed?.code).toBe(1009);
  });

  it('refuses to grow one conversation past the body limit (413), and the connection keeps serving', async () => {
    const socket = await open();
    socket.send(create('gpt-5.5', [user('a'.repeat(600_000))]));
    const first = await socket.nextResponse();
    const id = String((first.at(-1)!.response as { id: string }).id);
    socket.send(create('gpt-5.5', [user('b'.repeat(600_000))], { previous_response_id: id }));
    expect(errorOf(await socket.nextResponse())).toMatchObject({ status: 413, error: { code: 'request_too_large', param: 'input' } });
    socket.send(create('gpt-5.5', [user('small')], { previous_response_id: id }));
    expect(textOf(await socket.nextResponse())).toBe('pong');
    await socket.close();
  });
});

describe('upstream refusals', () => {
  it('brings a rate limit back as a 429 error event with retry-after, the way Codex reads HTTP headers', async () => {
    const socket = await open();
    socket.send(create('ws-claude', [user('LIMITED')]));
    const err = errorOf(await socket.nextResponse());
    expect(err.status).toBe(429);
    expect(err.error).toMatchObject({ type: 'rate_limit_error' });
    expect(Number(err.headers?.['retry-after'])).toBeGreaterThan(0);
    await socket.close();
  });
});
