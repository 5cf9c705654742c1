import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import express from 'express';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { ConfigStore } from '../../../../src-main/engine/config/store';
import { managementRouter } from '../../../../src-main/engine/management';
import { managementAuth } from '../../../../src-main/engine/management/auth';

let dir: string;
let server: http.Server;
let base: string;
let store: ConfigStore;

async function serve(app: express.Express): Promise<void> {
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sy-mgmt-'));
  const file = path.join(dir, 'config.yaml');
  store = ConfigStore.fromText('# keep me\nremote-management:\n  secret-key: mgmt-secret\napi-keys: [k1]\n', file);
  const app = express();
  app.use('/v0/management', managementRouter({ config: store }));
  await serve(app);
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${base}/v0/management${p}`, { headers });
const send = (method: string, p: string, body: unknown, key = 'mgmt-secret') =>
  fetch(`${base}/v0/management${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('management API', () => {
  it('asks for the key, refuses a wrong one, accepts Bearer and X-Management-Key', async () => {
    expect((await get('/config')).status).toBe(401);
    expect(await (await get('/config')).json()).toEqual({ error: 'missing management key' });
    expect((await get('/config', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await get('/config', { authorization: 'Bearer mgmt-secret' })).status).toBe(200);
    expect((await get('/config', { 'x-management-key': 'mgmt-secret' })).status).toBe(200);
  });

  it('changes a scalar setting, writes it to the file with comments kept, and hot-applies it', async () => {
    const res = await send('PUT', '/request-retry', { value: 7 });
    expect(res.status).toBe(200);
    expect(store.current['request-retry']).toBe(7);
    const text = await readFile(path.join(dir, 'config.yaml'), 'utf8');
    expect(text).toContain('# keep me');
    expect(text).toContain('request-retry: 7');
    const bad = await send('PUT', '/routing/strategy', { value: 'random' });
    expect(bad.status).toBe(400);
    expect(store.current.routing.strategy).toBe('round-robin');
  });

  it('edits the client key list and the provider key lists', async () => {
    expect((await send('PUT', '/api-keys', ['a', 'b'])).status).toBe(200);
    expect((await send('PATCH', '/api-keys', { old: 'a', new: 'c' })).status).toBe(200);
    expect(store.current['api-keys']).toEqual(['c', 'b']);
    expect((await fetch(`${base}/v0/management/api-keys?value=b`, { method: 'DELETE', headers: { 'x-management-key': 'mgmt-secret' } })).status).toBe(200);
    expect(store.current['api-keys']).toEqual(['c']);
    const put = await send('PUT', '/openai-compatibility', { items: [{ name: 'or', 'base-url': 'https://openrouter.ai/api/v1', 'api-key': 'sk-1' }] });
    expect(put.status).toBe(200);
    expect(store.current['openai-compatibility'][0].name).toBe('or');
    const invalid = await send('PUT', '/openai-compatibility', [{ name: 'x', 'base-url': 'nope', 'api-key': 'k' }]);
    expect(invalid.status).toBe(400);
    expect(store.current['openai-compatibility'][0].name).toBe('or');
  });

  it('rejects an invalid raw YAML upload and keeps the old config', async () => {
    const res = await fetch(`${base}/v0/management/config.yaml`, { method: 'PUT', headers: { 'x-management-key': 'mgmt-secret' }, body: 'port: [1' });
    expect(res.status).toBe(400);
    expect(store.current['api-keys']).toEqual(['k1']);
  });
});

describe('management auth rules', () => {
  function fakeReq(ip: string, key?: string) {
    return { socket: { remoteAddress: ip }, headers: key ? { 'x-management-key': key } : {} } as unknown as express.Request;
  }
  function fakeRes() {
    const out: { status?: number; body?: unknown; next?: boolean } = {};
    const res = {
      status(s: number) { out.status = s; return res; },
      json(b: unknown) { out.body = b; return res; },
      setHeader() {},
    } as unknown as express.Response;
    return { res, out };
  }

  it('refuses remote clients unless allow-remote, and bans an address after 5 failures for 30 minutes', async () => {
    let now = 1_000_000;
    let allowRemote = false;
    const gate = managementAuth(() => ({ secretKey: 'k', allowRemote }), () => now);
    const call = async (ip: string, key?: string) => {
      const { res, out } = fakeRes();
      await gate(fakeReq(ip, key), res, () => { out.next = true; });
      return out;
    };
    expect((await call('203.0.113.9', 'k')).status).toBe(403);
    allowRemote = true;
    for (let i = 0; i < 5; i++) expect((await call('203.0.113.9', 'bad')).status).toBe(401);
    const banned = await call('203.0.113.9', 'k');
    expect(banned.status).toBe(403);
    expect(String((banned.body as { error: string }).error)).toMatch(/banned for 30 more minute/);
    expect((await call('198.51.100.1', 'k')).next).toBe(true); // others unaffected
    now += 30 * 60_000 + 1;
    expect((await call('203.0.113.9', 'k')).next).toBe(true);
  });

  it('accepts a bcrypt-hashed secret and is disabled (404) without one', async () => {
    const hash = await bcrypt.hash('pw', 4);
    const gate = managementAuth(() => ({ secretKey: hash, allowRemote: false }));
    const { res, out } = fakeRes();
    await gate(fakeReq('127.0.0.1', 'pw'), res, () => { out.next = true; });
    expect(out.next).toBe(true);
    const off = managementAuth(() => ({ secretKey: '', allowRemote: false }));
    const r2 = fakeRes();
    await off(fakeReq('127.0.0.1', 'pw'), r2.res, () => undefined);
    expect(r2.out.status).toBe(404);
  });
});
