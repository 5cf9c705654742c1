import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteId } from '../../src-main/engine/server/route-table';
import { MAX_JSON_DEPTH, MAX_MODEL_NAME_LENGTH } from '../../src-main/engine/server/client-input';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startCountingUpstream, type CountingUpstream } from './support/fake-openai-upstream';
import { rawClient } from './support/raw-http';
import { CLIENT_KEY, MODEL, concretePath, expectWireError, hostileConfig, sampleBody } from './support/routes';

/**
 * What a client sends is bounded before anything stores, logs or walks it:
 * D10 model names, D12 the body limit as the config says it now, D13 JSON nesting.
 */

let upstream: CountingUpstream;
let sy: RunningEngine;
let http: ReturnType<typeof rawClient>;
const auth = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' };

beforeAll(async () => {
  upstream = await startCountingUpstream();
  sy = await startEngine(hostileConfig(upstream.url, ['body-limit-mb: 1']));
  http = rawClient(sy.url);
});

afterAll(async () => {
  http?.close();
  await sy?.close();
  await upstream?.close();
});

const postRoutes = ROUTES.filter((r) => r.method === 'POST' && r.id !== 'openai-image-edits');
const bodyModelRoutes = postRoutes.filter((r) => !r.path.includes('{model}'));
const pathModelRoutes = ROUTES.filter((r) => r.path.includes('{model}'));

/** The sample body of a route with its `model` field replaced. */
function withModel(id: RouteId, model: string): string {
  const body = JSON.parse(sampleBody(id)!.body) as Record<string, unknown>;
  body.model = model;
  return JSON.stringify(body);
}

describe('D10: model names are bounded', () => {
  const long = 'x'.repeat(MAX_MODEL_NAME_LENGTH + 1);
  const huge = 'y'.repeat(512 * 1024);

  it.each(bodyModelRoutes.map((r) => [r.path, r] as const))('POST %s with an absurd body model → 400 in its format, nothing stored', async (_p, r) => {
    const hits = upstream.hits;
    const logged = sy.engine.recentRequests.length;
    for (const model of [long, huge]) {
      const res = await http.send('POST', r.path, { headers: auth, body: withModel(r.id, model) });
      expect(res.status).toBe(400);
      expectWireError(r.wire, res.json(), 400, { openai: 'invalid_request_error', claude: 'invalid_request_error', gemini: 'INVALID_ARGUMENT' });
      expect(res.text.length).toBeLessThan(2000);
    }
    expect(upstream.hits).toBe(hits);
    expect(sy.engine.recentRequests.length).toBe(logged);
  });

  it.each(pathModelRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s with an absurd path model → 400 in Gemini format', async (_p, r) => {
    const hits = upstream.hits;
    const sample = sampleBody(r.id);
    const res = await http.send(r.method, concretePath(r, 'z'.repeat(2000)), { headers: auth, body: sample?.body });
    expect(res.status).toBe(400);
    expectWireError('gemini', res.json(), 400, { gemini: 'INVALID_ARGUMENT' });
    expect(upstream.hits).toBe(hits);
  });

  it('a model name at the limit is still routed (an unknown model, not a refusal)', async () => {
    const res = await http.send('POST', '/v1/chat/completions', { headers: auth, body: withModel('openai-chat', 'x'.repeat(MAX_MODEL_NAME_LENGTH)) });
    expect(res.status).not.toBe(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('D13: JSON nesting is bounded before any translator walks it', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  /** A deep JSON Schema in a tool, where translators recurse (schema cleaning, key renaming). */
  function deepBody(id: RouteId, depth: number): string {
    const body = JSON.parse(sampleBody(id)!.body) as Record<string, unknown>;
    const schema = `{"type":"object","properties":{"p":${nested(depth)}}}`;
    const text = JSON.stringify(body);
    if (id.startsWith('gemini')) return `${text.slice(0, -1)},"tools":[{"functionDeclarations":[{"name":"t","parameters":${schema}}]}]}`;
    if (id.startsWith('claude')) return `${text.slice(0, -1)},"tools":[{"name":"t","input_schema":${schema}}]}`;
    if (id === 'openai-responses') return `${text.slice(0, -1)},"tools":[{"type":"function","name":"t","parameters":${schema}}]}`;
    return `${text.slice(0, -1)},"tools":[{"type":"function","function":{"name":"t","parameters":${schema}}}]}`;
  }

  it.each(postRoutes.map((r) => [r.path, r] as const))('POST %s nested 3,000 deep → 400 in its format', async (_p, r) => {
    const res = await http.send('POST', concretePath(r), { headers: auth, body: deepBody(r.id, 3000) });
    expect(res.status).toBe(400);
    expectWireError(r.wire, res.json(), 400);
  });

  it.each(postRoutes.map((r) => [r.path, r] as const))('POST %s nested just under the limit → no 5xx', async (_p, r) => {
    const res = await http.send('POST', concretePath(r), { headers: auth, body: deepBody(r.id, MAX_JSON_DEPTH - 8) });
    expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
  });

  it('brackets inside strings do not count as nesting', async () => {
    const res = await http.send('POST', '/v1/chat/completions', {
      headers: auth,
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: `${'[{'.repeat(5000)}"\\"` }] }),
    });
    expect(res.status).toBe(200);
  });
});

describe('D12: body-limit-mb applies on hot reload', () => {
  const bigBody = () => JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'z'.repeat(1.5 * 1024 * 1024) }] });

  it('a reload that raises the limit admits the larger body; lowering it refuses again with the new figure', async () => {
    const first = await http.send('POST', '/v1/chat/completions', { headers: auth, body: bigBody() });
    expect(first.status).toBe(413);
    expect((first.json() as { error: { message: string } }).error.message).toContain('1 MB');

    const text = await readFile(sy.configFile, 'utf8');
    await writeFile(sy.configFile, text.replace('body-limit-mb: 1', 'body-limit-mb: 2'));
    expect(await sy.engine.config.reload()).toBe(true);
    expect(sy.engine.config.current['body-limit-mb']).toBe(2);
    const second = await http.send('POST', '/v1/chat/completions', { headers: auth, body: bigBody() });
    expect(second.status).toBe(200);

    await writeFile(sy.configFile, text);
    expect(await sy.engine.config.reload()).toBe(true);
    const third = await http.send('POST', '/v1/messages', { headers: auth, body: bigBody() });
    expect(third.status).toBe(413);
    expectWireError('claude-messages', third.json(), 413);
  });
});
