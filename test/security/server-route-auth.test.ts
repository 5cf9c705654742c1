import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src-main/engine/server/route-table';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startCountingUpstream, type CountingUpstream } from './support/fake-openai-upstream';
import { pathSpellings } from './support/path-spellings';
import { rawClient } from './support/raw-http';
import { CLIENT_KEY, concretePath, expectWireError, hostileConfig, sampleBody } from './support/routes';

/**
 * D1: client keys were bypassed by spelling a path differently (`/V1/chat/completions`). Every
 * entry of the route table is tried in its documented spelling and in every other spelling a
 * lax router might accept. Without a key, nothing but the public routes is ever served, and no
 * request reaches an upstream.
 */

let upstream: CountingUpstream;
let sy: RunningEngine;
let http: ReturnType<typeof rawClient>;

beforeAll(async () => {
  upstream = await startCountingUpstream();
  sy = await startEngine(hostileConfig(upstream.url));
  http = rawClient(sy.url);
});

afterAll(async () => {
  http?.close();
  await sy?.close();
  await upstream?.close();
});

const secured = ROUTES.filter((r) => r.access === 'client-key');

function send(method: string, path: string, id: (typeof ROUTES)[number]['id'], headers: Record<string, string> = {}) {
  const sample = method === 'POST' ? sampleBody(id) : undefined;
  return http.send(method, path, { headers: sample ? { 'content-type': sample.contentType, ...headers } : headers, body: sample?.body });
}

describe('route table: every route is public or needs the client key', () => {
  it('lists only /healthz and / as public', () => {
    expect(ROUTES.filter((r) => r.access === 'public').map((r) => r.path).sort()).toEqual(['/', '/healthz']);
  });

  it.each(secured.map((r) => [`${r.method} ${r.path}`, r] as const))('%s without a key → 401 in the route’s wire format', async (_n, route) => {
    const res = await send(route.method, concretePath(route), route.id);
    expect(res.status).toBe(401);
    expectWireError(route.wire, res.json(), 401, { openai: 'authentication_error', claude: 'authentication_error', gemini: 'UNAUTHENTICATED' });
    const wrong = await send(route.method, concretePath(route), route.id, { authorization: 'Bearer sk-wrong' });
    expect(wrong.status).toBe(401);
  });

  it.each(secured.map((r) => [`${r.method} ${r.path}`, r] as const))('%s in every other spelling without a key → refused, never served', async (_n, route) => {
    const before = upstream.hits;
    const spellings = pathSpellings(concretePath(route));
    expect(spellings.length).toBeGreaterThan(30);
    const served: string[] = [];
    for (const path of spellings) {
      const res = await send(route.method, path, route.id);
      if (res.status !== 401 && res.status !== 404 && res.status !== 400) served.push(`${res.status} ${path}`);
    }
    expect(served).toEqual([]);
    expect(upstream.hits).toBe(before);
  });

  it('HEAD of the secured GET routes needs the key too', async () => {
    for (const r of secured.filter((x) => x.method === 'GET')) {
      const res = await http.send('HEAD', concretePath(r));
      expect(res.status).toBe(401);
    }
  });

  it('with the key, the documented spelling of each route is served (not 401/404)', async () => {
    for (const r of secured) {
      const res = await send(r.method, concretePath(r), r.id, { authorization: `Bearer ${CLIENT_KEY}` });
      expect([401, 404], `${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 200)}`).not.toContain(res.status);
    }
  });

  it('a key in x-api-key, x-goog-api-key or ?key= is accepted like the bearer', async () => {
    const chat = ROUTES.find((r) => r.id === 'gemini-models')!;
    for (const [path, headers] of [
      [concretePath(chat), { 'x-api-key': CLIENT_KEY }],
      [concretePath(chat), { 'x-goog-api-key': CLIENT_KEY }],
      [`${concretePath(chat)}?key=${CLIENT_KEY}`, {}],
    ] as const) {
      expect((await http.send('GET', path, { headers })).status).toBe(200);
    }
  });

  it('an unknown path gets a 404 in the caller’s format, never a page', async () => {
    const gem = await http.send('POST', '/v1beta/nothing', { headers: { authorization: `Bearer ${CLIENT_KEY}` }, body: '{}' });
    expect(gem.status).toBe(404);
    expectWireError('gemini', gem.json(), 404, { gemini: 'NOT_FOUND' });
    const claude = await http.send('POST', '/v1/messages/nothing', { body: '{}' });
    expect(claude.status).toBe(404);
    expectWireError('claude-messages', claude.json(), 404, { claude: 'not_found_error' });
    const oa = await http.send('GET', '/V1/MODELS');
    expect(oa.status).toBe(404);
    expectWireError('openai-chat', oa.json(), 404);
  });

  it('the public routes answer without a key', async () => {
    expect((await http.send('GET', '/healthz')).status).toBe(200);
    expect((await http.send('HEAD', '/healthz')).status).toBe(200);
    expect((await http.send('GET', '/')).status).toBe(200);
  });

  it('management paths in other spellings are never served without the management key', async () => {
    for (const path of pathSpellings('/v0/management/config')) {
      const res = await http.send('GET', path);
      expect([401, 403, 404], `${path} → ${res.status}`).toContain(res.status);
    }
  });
});
