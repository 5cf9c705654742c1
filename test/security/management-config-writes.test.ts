import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigStore } from '../../src-main/engine/config/store';
import { createRuntime, type Runtime } from '../../src-main/engine/runtime';
import { silentLogger } from '../../src-main/engine/log/logger';
import { parseConfig } from '../../src-main/engine/config/load';

/**
 * D3, D9, D11 and the config faults, through the management API of a real engine.
 * Every config edit is a read-modify-write of config.yaml: concurrent ones must all land,
 * invalid ones must leave the file as it was, and none may open a proxy bound beyond loopback.
 */
const M = { 'x-management-key': 'm' };
const BASE = ['host: 127.0.0.1', 'api-keys: [sk-client-1]', 'remote-management: {secret-key: m}', 'secret-store: file', ''].join('\n');

interface Sy {
  runtime: Runtime;
  url: string;
  file: string;
  dir: string;
  confDir: string;
}
const open: Sy[] = [];
async function start(text = BASE): Promise<Sy> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-mgmt-'));
  // The config sits in its own folder so a test can take the folder away (write failures).
  const confDir = path.join(dir, 'conf');
  await mkdir(confDir);
  const file = path.join(confDir, 'config.yaml');
  await writeFile(file, text);
  const runtime = createRuntime({ config: await ConfigStore.open(file), dataDir: dir, logger: silentLogger, mode: 'headless', version: 'test' });
  const addr = await runtime.engine.start({ host: '127.0.0.1', port: 0 });
  const sy = { runtime, url: `http://127.0.0.1:${addr.port}`, file, dir, confDir };
  open.push(sy);
  return sy;
}
afterEach(async () => {
  for (const sy of open.splice(0)) {
    await sy.runtime.close(500);
    await rm(sy.dir, { recursive: true, force: true });
  }
});

const ui = (sy: Sy, channel: string, body: unknown = {}) =>
  fetch(`${sy.url}/v0/management/ui/${channel}`, { method: 'POST', headers: { ...M, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const models = (sy: Sy, key?: string) => fetch(`${sy.url}/v1/models`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
const savedKeys = async (sy: Sy) => parseConfig(await readFile(sy.file, 'utf8'), sy.file).config['api-keys'];

/**
 * Tests may only listen on 127.0.0.1, so "bound to 0.0.0.0" is simulated by telling the engine
 * its listening address is 0.0.0.0 (what `start({host: '0.0.0.0'})` records).
 */
function pretendBoundTo(sy: Sy, host: string): void {
  // The listener (engine-lifecycle.ts) keeps the address `start` bound; `listening` returns it.
  const listening = sy.runtime.engine.listening;
  if (!listening) throw new Error('the engine is not listening');
  listening.host = host;
}

describe('D11: an empty or invalid config.yaml upload is refused and the file is kept', () => {
  it('answers 400 for every bad document and leaves the bytes on disk untouched', async () => {
    const sy = await start();
    const before = await readFile(sy.file, 'utf8');
    const bad = ['', '   \n\n', '# only a comment\n', 'port: [8317\n', 'port: not-a-port\n', 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'];
    for (const text of bad) {
      const res = await fetch(`${sy.url}/v0/management/config.yaml`, { method: 'PUT', headers: { ...M, 'content-type': 'application/yaml' }, body: text });
      expect(res.status, JSON.stringify(text)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid config');
      expect(await readFile(sy.file, 'utf8')).toBe(before);
    }
    expect((await models(sy)).status).toBe(401);
  });
});

describe('D3: while bound beyond loopback, no edit or reload may drop the last client key', () => {
  it('refuses a keyless config (loopback host, empty file, {}) by upload and by hot reload; clients still need a key', async () => {
    const sy = await start();
    pretendBoundTo(sy, '0.0.0.0');
    const store = sy.runtime.engine.config;
    for (const text of ['host: 127.0.0.1\nremote-management: {secret-key: m}\n', '{}\n']) {
      const put = await fetch(`${sy.url}/v0/management/config.yaml`, { method: 'PUT', headers: M, body: text });
      expect(put.status, text).toBe(400);
      expect(((await put.json()) as { message: string }).message).toMatch(/listening on 0\.0\.0\.0/);
    }
    for (const text of ['host: 127.0.0.1\nremote-management: {secret-key: m}\n', '', '{}\n']) {
      await writeFile(sy.file, text);
      await expect(store.reload()).resolves.toBe(false);
      expect(store.current['api-keys']).toEqual(['sk-client-1']);
    }
    expect((await models(sy)).status).toBe(401);
    expect((await models(sy, 'sk-client-1')).status).toBe(200);
  });

  it('refuses removing the last key through every management door while bound to 0.0.0.0', async () => {
    const sy = await start();
    pretendBoundTo(sy, '0.0.0.0');
    const settings = (await (await ui(sy, 'app:settings:get')).json()) as { data: { apiKeys: Array<{ id: string }> } };
    const revoke = await ui(sy, 'app:settings:api-key-revoke', { id: settings.data.apiKeys[0].id });
    expect(revoke.status).toBe(409);
    expect((await fetch(`${sy.url}/v0/management/api-keys?index=0`, { method: 'DELETE', headers: M })).status).toBe(400);
    expect((await fetch(`${sy.url}/v0/management/api-keys`, { method: 'PUT', headers: { ...M, 'content-type': 'application/json' }, body: '[]' })).status).toBe(400);
    expect(await savedKeys(sy)).toEqual(['sk-client-1']);
    expect((await models(sy)).status).toBe(401);
  });

  it('on loopback the last key may go (the proxy is then open to this machine only)', async () => {
    const sy = await start();
    const settings = (await (await ui(sy, 'app:settings:get')).json()) as { data: { apiKeys: Array<{ id: string }> } };
    const revoke = await ui(sy, 'app:settings:api-key-revoke', { id: settings.data.apiKeys[0].id });
    expect(revoke.status).toBe(200);
    expect(await savedKeys(sy)).toEqual([]);
  });
});

describe('D9: concurrent management edits all land', () => {
  it('20 parallel "generate API key" calls: 20 keys saved, each one authenticates', async () => {
    const sy = await start();
    const results = await Promise.all(Array.from({ length: 20 }, () => ui(sy, 'app:settings:api-key-generate').then((r) => r.json() as Promise<{ ok: boolean; data: { secret: string } }>)));
    const secrets = results.map((r) => r.data.secret);
    expect(new Set(secrets).size).toBe(20);
    const saved = await savedKeys(sy);
    expect(saved).toHaveLength(21);
    for (const s of secrets) {
      expect(saved).toContain(s);
      expect((await models(sy, s)).status).toBe(200);
    }
  });

  it('10 parallel POST /accounts: 10 key accounts saved', async () => {
    const sy = await start();
    const res = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${sy.url}/v0/management/accounts`, { method: 'POST', headers: { ...M, 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'claude-api', api_key: `sk-ant-${i}` }) }),
      ),
    );
    expect(res.map((r) => r.status)).toEqual(Array(10).fill(201));
    const cfg = parseConfig(await readFile(sy.file, 'utf8'), sy.file).config;
    expect(cfg['claude-api-key'].map((e) => e['api-key']).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `sk-ant-${i}`).sort());
  });

  it('10 parallel auth-file uploads: 10 accounts in accounts.json', async () => {
    const sy = await start();
    const res = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${sy.url}/v0/management/auth-files?name=codex-u${i}.json`, { method: 'POST', headers: M, body: JSON.stringify({ type: 'codex', email: `u${i}@example.com`, access_token: `tok-${i}` }) }),
      ),
    );
    expect(res.map((r) => r.status)).toEqual(Array(10).fill(200));
    const meta = JSON.parse(await readFile(path.join(sy.dir, 'accounts.json'), 'utf8')) as { accounts: Record<string, unknown> };
    expect(Object.keys(meta.accounts).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `codex-u${i}`).sort());
  });

  it('parallel revokes and deletes by value remove exactly the named keys', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `sk-k${i}`);
    const sy = await start(BASE.replace('api-keys: [sk-client-1]', `api-keys: [${keys.join(', ')}]`));
    const settings = (await (await ui(sy, 'app:settings:get')).json()) as { data: { apiKeys: Array<{ id: string }> } };
    const ids = settings.data.apiKeys.map((k) => k.id);
    await Promise.all([
      ...ids.slice(0, 5).map((id) => ui(sy, 'app:settings:api-key-revoke', { id })),
      ...keys.slice(5, 10).map((k) => fetch(`${sy.url}/v0/management/api-keys?value=${k}`, { method: 'DELETE', headers: M })),
    ]);
    expect(await savedKeys(sy)).toEqual(keys.slice(10));
  });
});

describe('D9: concurrent mapping edits', () => {
  it('10 parallel alias creations all land; 5 parallel creations of one alias make exactly one', async () => {
    const sy = await start();
    // An alias must be servable: give the engine one signed-in Claude account (an auth file, as `login` writes it).
    await mkdir(path.join(sy.dir, 'auth'), { recursive: true });
    await writeFile(path.join(sy.dir, 'auth', 'claude-a.json'), JSON.stringify({ type: 'claude', access_token: 'sk-ant-oat01-test', email: 'a@example.com' }));
    await sy.runtime.engine.ready();
    await sy.runtime.engine.registry!.load();
    const create = (alias: string) => ui(sy, 'app:mappings:alias-create', { alias, provider: 'claude', upstreamModel: 'claude-sonnet-4-5' });
    const many = await Promise.all(Array.from({ length: 10 }, (_, i) => create(`fast-${i}`)));
    expect(many.map((r) => r.status)).toEqual(Array(10).fill(200));
    const same = await Promise.all(Array.from({ length: 5 }, () => create('dup')));
    expect(same.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const cfg = parseConfig(await readFile(sy.file, 'utf8'), sy.file).config;
    const aliases = (cfg['oauth-model-alias'].claude ?? []).map((r) => r.alias).sort();
    expect(aliases).toEqual([...Array.from({ length: 10 }, (_, i) => `fast-${i}`), 'dup'].sort());
  });

  it('parallel exclusions and provider keys: distinct ones all land, a repeated one lands once', async () => {
    const sy = await start();
    const excl = await Promise.all([...Array.from({ length: 6 }, (_, i) => `old-model-${i}`), 'twice', 'twice'].map((pattern) => ui(sy, 'app:mappings:exclusion-add', { provider: 'claude', pattern })));
    expect(excl.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 409]);
    const keys = await Promise.all([...Array.from({ length: 6 }, (_, i) => `sk-ant-api03-k${i}-XXXXXXXX`), 'sk-ant-api03-same-YYYYYYYY', 'sk-ant-api03-same-YYYYYYYY'].map((apiKey) => ui(sy, 'app:keys:add', { section: 'claude-api-key', apiKey })));
    expect(keys.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 409]);
    const bodies = (await Promise.all(keys.filter((r) => r.status === 200).map((r) => r.json()))) as Array<{ data: { id: string } }>;
    expect(new Set(bodies.map((b) => b.data.id)).size).toBe(7);
    const cfg = parseConfig(await readFile(sy.file, 'utf8'), sy.file).config;
    expect(cfg['oauth-excluded-models'].claude?.slice().sort()).toEqual([...Array.from({ length: 6 }, (_, i) => `old-model-${i}`), 'twice'].sort());
    expect(cfg['claude-api-key']).toHaveLength(7);
  });
});

describe('faults: the config file removed while serving, a save that cannot be written', () => {
  it('file removed: the last good config keeps serving, the problem is reported, the next save writes it back whole', async () => {
    const sy = await start();
    const store = sy.runtime.engine.config;
    await rm(sy.file);
    await expect(store.reload()).resolves.toBe(false);
    expect(store.error?.message).toMatch(/removed/);
    expect((await models(sy)).status).toBe(401);
    expect((await models(sy, 'sk-client-1')).status).toBe(200);
    const put = await fetch(`${sy.url}/v0/management/request-retry`, { method: 'PUT', headers: { ...M, 'content-type': 'application/json' }, body: '{"value": 4}' });
    expect(put.status).toBe(200);
    const back = parseConfig(await readFile(sy.file, 'utf8'), sy.file).config;
    expect(back['api-keys']).toEqual(['sk-client-1']);
    expect(back['remote-management']['secret-key']).toBe('m');
    expect(back['request-retry']).toBe(4);
  });

  it('write failure: a clear 500 naming the file, nothing changed in memory or on disk, later saves work again', async () => {
    const sy = await start();
    const before = await readFile(sy.file, 'utf8');
    // The config folder replaced by a plain file: every write under it fails (ENOTDIR), even as root.
    const moved = `${sy.confDir}.moved`;
    await rename(sy.confDir, moved);
    await writeFile(sy.confDir, 'not a folder');
    const put = await fetch(`${sy.url}/v0/management/request-retry`, { method: 'PUT', headers: { ...M, 'content-type': 'application/json' }, body: '{"value": 9}' });
    expect(put.status).toBe(500);
    const body = (await put.json()) as { error: string; message: string };
    expect(body.error).toBe('config not saved');
    expect(body.message).toContain(sy.file);
    expect(body.message).toMatch(/previous config is unchanged/);
    const gen = await ui(sy, 'app:settings:api-key-generate');
    expect(gen.ok).toBe(false);
    expect(((await gen.json()) as { error: { message: string } }).error.message).toContain('cannot save');
    expect(sy.runtime.engine.config.current['request-retry']).toBe(3);
    expect(sy.runtime.engine.config.current['api-keys']).toEqual(['sk-client-1']);
    await rm(sy.confDir);
    await rename(moved, sy.confDir);
    expect(await readFile(sy.file, 'utf8')).toBe(before);
    const again = await fetch(`${sy.url}/v0/management/request-retry`, { method: 'PUT', headers: { ...M, 'content-type': 'application/json' }, body: '{"value": 9}' });
    expect(again.status).toBe(200);
    expect(parseConfig(await readFile(sy.file, 'utf8'), sy.file).config['request-retry']).toBe(9);
  });
});
