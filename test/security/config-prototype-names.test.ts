import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { startEngine, type RunningEngine } from '../integration/harness';

/**
 * D2's class on the config side: model names, aliases, prefixes, provider names and OAuth channel
 * names are user-chosen strings. Names that are also Object.prototype members must behave like
 * any other name: listed, routed, edited, deleted, never a 500 and never a polluted prototype.
 */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

let upstream: http.Server;
let sy: RunningEngine;
const asked: string[] = [];
const M = { 'x-management-key': 'm' };
const client = { authorization: 'Bearer sk-client', 'content-type': 'application/json' };

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method === 'GET') {
        // Background model-list read (discovery): an empty list, so only the configured models count.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [] }));
        return;
      }
      const body = JSON.parse(raw) as { model: string };
      asked.push(body.model);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: `you asked ${body.model}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}/v1`;
  sy = await startEngine(
    [
      'api-keys: [sk-client]',
      'remote-management: {secret-key: m}',
      'request-retry: 0',
      'openai-compatibility:',
      '  - name: constructor',
      `    base-url: ${url}`,
      '    api-key: sk-upstream',
      '    prefix: __proto__',
      '    models:',
      ...PROTO_NAMES.flatMap((n, i) => [`      - name: up-${i}`, `        alias: ${n}`]),
      'oauth-model-alias:',
      ...['toString', 'valueOf'].flatMap((c) => [`  ${c}:`, '    - {name: x, alias: y}']),
      'oauth-excluded-models:',
      '  hasOwnProperty: [a]',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await sy?.close();
  await new Promise((r) => upstream.close(r));
});

describe('prototype-named models, aliases and prefixes', () => {
  it('are listed by /v1/models', async () => {
    const res = await fetch(`${sy.url}/v1/models`, { headers: client });
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
    for (const n of PROTO_NAMES) expect(ids, n).toContain(n);
  });

  it('route to their upstream model, bare and with the prefix', async () => {
    for (const [i, n] of PROTO_NAMES.entries()) {
      for (const model of [n, `__proto__/${n}`]) {
        const res = await fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: client, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
        expect(res.status, model).toBe(200);
        expect(asked.at(-1), model).toBe(`up-${i}`);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an unknown prototype-named model is a clean 4xx in the caller’s format, never a 500', async () => {
    for (const n of ['prototype', '__lookupGetter__', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'constructor/x']) {
      const res = await fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: client, body: JSON.stringify({ model: n, messages: [{ role: 'user', content: 'hi' }] }) });
      expect(res.status, n).toBeGreaterThanOrEqual(400);
      expect(res.status, n).toBeLessThan(500);
      expect(((await res.json()) as { error?: unknown }).error, n).toBeDefined();
    }
  });

  it('OAuth alias/exclusion channels named like prototype members are listed and deleted as plain keys', async () => {
    const aliases = (await (await fetch(`${sy.url}/v0/management/oauth-model-alias`, { headers: M })).json()) as { 'oauth-model-alias': Record<string, unknown> };
    expect(Object.keys(aliases['oauth-model-alias']).sort()).toEqual(['toString', 'valueOf']);
    expect((await fetch(`${sy.url}/v0/management/oauth-model-alias?provider=toString`, { method: 'DELETE', headers: M })).status).toBe(200);
    expect((await fetch(`${sy.url}/v0/management/oauth-model-alias?provider=toString`, { method: 'DELETE', headers: M })).status).toBe(404);
    expect((await fetch(`${sy.url}/v0/management/oauth-excluded-models?provider=hasOwnProperty`, { method: 'DELETE', headers: M })).status).toBe(200);
    const ui = await fetch(`${sy.url}/v0/management/ui/app:mappings:list`, { method: 'POST', headers: { ...M, 'content-type': 'application/json' }, body: '{}' });
    expect(ui.status).toBe(200);
    const list = await fetch(`${sy.url}/v0/management/ui/app:keys:list`, { method: 'POST', headers: { ...M, 'content-type': 'application/json' }, body: '{}' });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('"name":"constructor"');
  });
});
