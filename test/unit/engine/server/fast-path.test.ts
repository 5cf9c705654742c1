import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../../src-main/engine/server/app';
import { simplePathname } from '../../../../src-main/engine/server/fast-path';
import { protocols } from '../../../../src-main/engine/protocols';
import { silentLogger } from '../../../../src-main/engine/log/logger';

/**
 * Issue 16: hot model routes (route table `hot: true`) are answered without Express's router;
 * everything else still goes through it. The byte-for-byte equality of both paths is
 * test/security/server-fast-path.test.ts.
 */

describe('simplePathname: the targets the lean path reads exactly as Express does', () => {
  it('takes the path before the query', () => {
    expect(simplePathname('/v1/chat/completions')).toBe('/v1/chat/completions');
    expect(simplePathname('/v1/chat/completions?key=a?b')).toBe('/v1/chat/completions');
  });
  it('declines what Express parses another way (absolute form, fragments, whitespace)', () => {
    for (const t of [undefined, '', '*', 'http://x/v1/chat/completions', '/v1/chat/completions#x', '/v1/chat/completions?x#y', '/a\tb', '/a b', '/a\u00a0b'])
      expect(simplePathname(t), String(t)).toBeUndefined();
  });
});

describe('the lean path in front of Express', () => {
  const app = createApp({
    logger: silentLogger,
    protocols,
    bodyLimitBytes: () => 1024,
    pipeline: () => {
      throw new Error('no model request reaches the pipeline in this test');
    },
    settings: () => ({ apiKeys: ['sk-test-key'], allowedOrigins: [], bindHost: '127.0.0.1', port: 0, loopbackBind: true }),
  });
  const router = (app as unknown as { router: { handle: (...a: unknown[]) => unknown } }).router;
  const viaRouter = vi.spyOn(router, 'handle');
  const server = http.createServer(app);
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (path: string, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

  it('answers every hot route without the router', async () => {
    viaRouter.mockClear();
    for (const path of ['/v1/chat/completions', '/v1/messages', '/v1/responses', '/v1beta/models/m:streamGenerateContent', '/api/chat']) {
      const res = await post(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    }
    expect(viaRouter).not.toHaveBeenCalled();
  });

  it('leaves other routes, methods and compressed bodies to Express', async () => {
    viaRouter.mockClear();
    expect((await post('/v1/embeddings')).status).toBe(401);
    expect((await fetch(`${base}/v1/models`)).status).toBe(401);
    expect((await post('/v1/chat/completions', { 'content-encoding': 'gzip' })).status).toBe(401);
    expect((await post('/nothing')).status).toBe(404);
    expect(viaRouter).toHaveBeenCalledTimes(4);
  });
});
