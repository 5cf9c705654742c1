import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startCountingUpstream, type CountingUpstream } from './support/fake-openai-upstream';
import { rawClient } from './support/raw-http';
import { CLIENT_KEY, MODEL, hostileConfig } from './support/routes';

/**
 * D14: an origin listed in `allowed-origins` gets what a browser needs (Fetch standard CORS):
 * a preflight answer and Access-Control-Allow-Origin on the real response. Every other foreign
 * origin stays refused, and CORS never replaces the client key.
 */

const APP = 'https://app.example';
let upstream: CountingUpstream;
let sy: RunningEngine;
let http: ReturnType<typeof rawClient>;

beforeAll(async () => {
  upstream = await startCountingUpstream();
  sy = await startEngine(hostileConfig(upstream.url, [`allowed-origins: ["${APP}"]`]));
  http = rawClient(sy.url);
});

afterAll(async () => {
  http?.close();
  await sy?.close();
  await upstream?.close();
});

const preflight = (origin: string, path = '/v1/chat/completions') =>
  http.send('OPTIONS', path, { headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-stainless-os' } });

describe('D14: CORS for allowed-origins', () => {
  it('answers the preflight of an allowed origin with 204 and the allowed method and headers', async () => {
    for (const path of ['/v1/chat/completions', '/v1/messages', '/v1beta/models/m:streamGenerateContent']) {
      const res = await preflight(APP, path);
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(APP);
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-headers']?.toLowerCase()).toContain('authorization');
      expect(res.headers['access-control-allow-headers']?.toLowerCase()).toContain('x-stainless-os');
      expect(res.headers.vary).toContain('Origin');
    }
    expect(upstream.hits).toBe(0);
  });

  it('the real request of an allowed origin carries Access-Control-Allow-Origin, errors included', async () => {
    const ok = await http.send('POST', '/v1/chat/completions', {
      headers: { origin: APP, authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(APP);
    expect(ok.headers['access-control-expose-headers']).toContain('x-request-id');

    const noKey = await http.send('POST', '/v1/chat/completions', { headers: { origin: APP }, body: '{}' });
    expect(noKey.status).toBe(401);
    expect(noKey.headers['access-control-allow-origin']).toBe(APP);
  });

  it('a foreign origin gets neither a preflight answer nor CORS headers', async () => {
    const res = await preflight('https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const post = await http.send('POST', '/v1/chat/completions', { headers: { origin: 'https://app.example.evil.com', authorization: `Bearer ${CLIENT_KEY}` }, body: '{}' });
    expect(post.status).toBe(403);
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a preflight asking for header names that are not header names gets the default list', async () => {
    const res = await http.send('OPTIONS', '/v1/chat/completions', { headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x\u00ff, <script>' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-headers']).not.toContain('script');
  });
});
