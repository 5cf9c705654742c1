import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import OpenAI from 'openai';
import { startEngine, type RunningEngine } from './harness';

/**
 * The foundation's promise: an OpenAI SDK pointed at Switchyard reaches an OpenAI-compatible
 * upstream, bytes untouched but for the model, with aliases, prefixes, keys, errors and aborts
 * behaving as the client expects.
 */

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  aborted: boolean;
}

let upstream: http.Server;
let upstreamUrl: string;
const seen: Seen[] = [];
let sy: RunningEngine;

const CHUNKS = ['Hel', 'lo', ' wor', 'ld ✓'];

function chunk(content: string | null, finish: string | null, usage?: object) {
  return `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'up-model', choices: content === null && finish === null ? [] : [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    // Model-list reads (GET /v1/models) are not model calls: this gateway has no list.
    if (req.method === 'GET') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    let raw = '';
    const rec: Seen = { path: req.url ?? '', headers: req.headers, raw: '', aborted: false };
    seen.push(rec);
    res.on('close', () => {
      if (!res.writableFinished) rec.aborted = true;
    });
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      rec.raw = raw;
      const body = JSON.parse(raw) as { model: string; stream?: boolean };
      if (body.model === 'boom') {
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'upstream exploded', type: 'server_error' } }));
      }
      if (body.model === 'slow') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk('first', null));
        const t = setInterval(() => res.write(chunk('.', null)), 50);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const c of CHUNKS) res.write(chunk(c, null));
        res.write(chunk(null, 'stop'));
        res.write(chunk(null, null, { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 }));
        return res.end('data: [DONE]\n\n');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'chatcmpl-2', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: `you asked ${body.model}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  sy = await startEngine(
    [
      'api-keys: [sk-client]',
      'request-retry: 0',
      'openai-compatibility:',
      '  - name: fake',
      `    base-url: ${upstreamUrl}/v1`,
      '    api-key: sk-upstream',
      '    prefix: team',
      '    headers:',
      '      x-custom: hello',
      '    models:',
      '      - name: up-model',
      '        alias: friendly',
      '      - name: boom',
      '      - name: slow',
    ].join('\n'),
    { watch: true },
  );
});

afterAll(async () => {
  await sy?.close();
  await new Promise((r) => upstream.close(r));
});

const client = (apiKey = 'sk-client') => new OpenAI({ baseURL: `${sy.url}/v1`, apiKey, maxRetries: 0 });

describe('OpenAI-compatible passthrough', () => {
  it('serves a non-streaming chat through an alias, with the upstream key and headers, never the client key', async () => {
    seen.length = 0;
    const out = await client().chat.completions.create({ model: 'friendly', messages: [{ role: 'user', content: 'hi' }] });
    expect(out.choices[0].message.content).toBe('you asked up-model');
    expect(seen).toHaveLength(1);
    expect(seen[0].path).toBe('/v1/chat/completions');
    expect(seen[0].headers.authorization).toBe('Bearer sk-upstream');
    expect(seen[0].headers['x-custom']).toBe('hello');
    expect(JSON.stringify(seen[0].headers)).not.toContain('sk-client');
  });

  it('forwards the request bytes untouched except the model', async () => {
    seen.length = 0;
    const body = '{"model":"friendly",  "messages":[{"role":"user","content":"spacing \\u00e9 kept"}],"temperature":0.25}';
    const res = await fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-client', 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(seen[0].raw).toBe(body.replace('"friendly"', '"up-model"'));
  });

  it('streams byte-for-byte, and the SDK sees every delta and the usage', async () => {
    const stream = await client().chat.completions.create({ model: 'team/friendly', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    let usage: unknown;
    for await (const ev of stream) {
      text += ev.choices[0]?.delta?.content ?? '';
      if (ev.usage) usage = ev.usage;
    }
    expect(text).toBe(CHUNKS.join(''));
    expect(usage).toEqual({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
  });

  it('lists the models the config can serve, prefixed and not', async () => {
    const ids = (await client().models.list()).data.map((m) => m.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['friendly', 'team/friendly', 'boom']));
  });

  it('rejects a bad client key with 401 in OpenAI error shape', async () => {
    const err = await client('wrong').chat.completions.create({ model: 'friendly', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.error).toMatchObject({ type: 'authentication_error' });
  });

  it('answers malformed JSON with 400', async () => {
    const res = await fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-client' }, body: '{"model": "friendly",' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/not valid JSON/);
  });

  it('passes an upstream 500 back with the same status and message', async () => {
    const err = await client().chat.completions.create({ model: 'boom', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(500);
    expect(err.message).toContain('upstream exploded');
  });

  it('answers 404 model_not_found for a model nobody serves', async () => {
    const err = await client().chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(404);
    expect(err.code).toBe('model_not_found');
  });

  it('aborts the upstream request when the client goes away', async () => {
    seen.length = 0;
    const ac = new AbortController();
    const stream = await client().chat.completions.create({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'x' }] }, { signal: ac.signal });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    ac.abort();
    for (let i = 0; i < 100 && !seen[0]?.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen[0].aborted).toBe(true);
  });

  it('answers 502 when the upstream is down', async () => {
    const down = await startEngine(['openai-compatibility:', '  - base-url: http://127.0.0.1:9/v1', '    api-key: k', '    models: [{name: m}]', 'request-retry: 0'].join('\n'));
    try {
      const err = await new OpenAI({ baseURL: `${down.url}/v1`, apiKey: 'x', maxRetries: 0 }).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(err.status).toBe(502);
    } finally {
      await down.close();
    }
  });

  it('hot-reloads an alias change and keeps serving the old config through an invalid edit', async () => {
    const base = (await import('node:fs/promises')).readFile;
    const text = await base(sy.configFile, 'utf8');
    await sy.writeConfig(text.replace('alias: friendly', 'alias: renamed'));
    for (let i = 0; i < 50 && !sy.engine.routing.resolve('renamed'); i++) await new Promise((r) => setTimeout(r, 50));
    const out = await client().chat.completions.create({ model: 'renamed', messages: [{ role: 'user', content: 'hi' }] });
    expect(out.choices[0].message.content).toBe('you asked up-model');
    const rejected = new Promise((r) => sy.engine.config.once('invalid', r));
    await sy.writeConfig('port: [not valid');
    await rejected;
    expect(sy.engine.config.error?.message).toMatch(/YAML syntax/);
    const still = await client().chat.completions.create({ model: 'renamed', messages: [{ role: 'user', content: 'hi' }] });
    expect(still.choices[0].message.content).toBe('you asked up-model');
  });
});

// Runs after the hot-reload test above, which renamed the alias to `renamed`.
describe('what the client sees on the passthrough path', () => {
  it('shows the model name the client asked for, in JSON and in every stream chunk', async () => {
    const res = await fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-client', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'renamed', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    const text = await res.text();
    expect(text).not.toContain('"model":"up-model"');
    expect(text.match(/"model":"renamed"/g)?.length).toBeGreaterThanOrEqual(CHUNKS.length);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('serves the legacy /v1/completions endpoint through chat', async () => {
    const out = await client().completions.create({ model: 'renamed', prompt: 'say hi' });
    expect(out.object).toBe('text_completion');
    expect(out.choices[0].text).toBe('you asked up-model');
  });
});
