import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../src-main/engine/accounts/registry';
import { FileSecretStore } from '../../src-main/engine/accounts/file-secret-store';
import { TokenCache } from '../../src-main/engine/accounts/token-cache';
import { authFor } from '../../src-main/engine/accounts/auths';
import { startEngine, type RunningEngine } from '../integration/harness';

/**
 * D2: account ids are file names anyone with the auth dir (or the management key) chooses. Names
 * that are also Object.prototype members must stay ordinary ids: listed with their own provider,
 * refreshed like any other, never a crash of the background refresh loop.
 */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];
const NOW = Date.parse('2026-08-01T12:00:00Z');
// Expires inside codex's refresh lead, so the background loop looks at it on its next tick.
const record = (who: string) => ({ type: 'codex', email: `${who}@example.com`, access_token: `tok-${who}`, refresh_token: `ref-${who}`, expired: '2026-08-01T12:01:00Z' });

describe('prototype-named account ids in the registry and the refresh loop', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-proto-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  for (const name of PROTO_NAMES) {
    it(`"${name}.json" dropped next to a known account loads as a codex account and a refresh tick survives it`, async () => {
      const authDir = path.join(dir, 'auth');
      const store = new FileSecretStore(authDir);
      const registry = new AccountRegistry(store, dir, { clock: () => NOW });
      await registry.load();
      await registry.add({ provider: 'codex', id: 'codex-known', label: 'known@example.com', record: record('known') });
      // Dropped by hand (or by an upload whose metadata is not written yet): no accounts.json entry.
      await writeFile(path.join(authDir, `${name}.json`), JSON.stringify(record(name)));
      await registry.load();
      expect(registry.list().find((v) => v.id === name)).toMatchObject({ id: name, provider: 'codex', label: `${name}@example.com`, status: 'active' });
      const refreshed: string[] = [];
      const tokens = new TokenCache({
        registry,
        auths: authFor,
        hostOverrides: () => ({}),
        clock: () => NOW,
        // No network: every refresh fails like an unreachable host; what matters is that the loop survives.
        fetch: (async () => {
          throw new Error('offline');
        }) as unknown as typeof fetch,
        onRefresh: (id, outcome) => refreshed.push(`${id}:${outcome}`),
      });
      await expect(tokens.tick()).resolves.toBeUndefined();
      expect(refreshed).toContain(`${name}:failed`);
      expect(({} as Record<string, unknown>).provider).toBeUndefined();
    });

    it(`"${name}" metadata survives a restart (accounts.json keeps it as a plain key)`, async () => {
      const store = new FileSecretStore(path.join(dir, 'auth'));
      const first = new AccountRegistry(store, dir, { clock: () => NOW });
      await first.load();
      await first.add({ provider: 'codex', id: name, label: 'Work account', record: record(name), priority: 7 });
      const again = new AccountRegistry(store, dir, { clock: () => NOW });
      await again.load();
      expect(again.account(name)).toMatchObject({ id: name, provider: 'codex', label: 'Work account', priority: 7 });
      expect(again.meta.get(name)?.label).toBe('Work account');
      const file = JSON.parse(await readFile(path.join(dir, 'accounts.json'), 'utf8')) as { accounts: object };
      expect(Object.hasOwn(file.accounts, name)).toBe(true);
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).label).toBeUndefined();
    });
  }
});

describe('one unreadable account never takes the others down', () => {
  it('an auth file that cannot be read (a directory by that name) is a listed problem; the rest load and refresh', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-unreadable-'));
    try {
      const store = new FileSecretStore(path.join(dir, 'auth'));
      const registry = new AccountRegistry(store, dir, { clock: () => NOW });
      await registry.load();
      await registry.add({ provider: 'codex', id: 'codex-good', label: 'good@example.com', record: record('good') });
      await mkdir(path.join(dir, 'auth', 'codex-unreadable.json'));
      await expect(registry.load()).resolves.toBeUndefined();
      expect(registry.account('codex-good')).toMatchObject({ provider: 'codex' });
      expect(registry.accounts().map((a) => a.id)).toEqual(['codex-good']);
      expect(registry.problems().join('\n')).toMatch(/codex-unreadable: cannot read its secret \(EISDIR\)/);
      const tokens = new TokenCache({ registry, auths: authFor, hostOverrides: () => ({}), clock: () => NOW, fetch: (async () => { throw new Error('offline'); }) as unknown as typeof fetch });
      await expect(tokens.tick()).resolves.toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('prototype-named auth files over the management API', () => {
  let sy: RunningEngine;
  const h = { 'x-management-key': 'm' };
  beforeAll(async () => {
    sy = await startEngine(['remote-management: {secret-key: m}', 'secret-store: file'].join('\n'));
  });
  afterAll(() => sy?.close());

  it('uploads, lists, downloads and deletes every prototype-named file; reload and refresh loop survive', async () => {
    for (const name of PROTO_NAMES) {
      const up = await fetch(`${sy.url}/v0/management/auth-files?name=${name}.json`, { method: 'POST', headers: h, body: JSON.stringify(record(name)) });
      expect(up.status, name).toBe(200);
    }
    // What the auth-dir watcher does after the upload, and what a restart does.
    await sy.engine.registry!.load();
    await sy.engine.tokens!.tick();
    const list = (await (await fetch(`${sy.url}/v0/management/auth-files`, { headers: h })).json()) as { files: Array<{ name: string; provider: string }> };
    for (const name of PROTO_NAMES) expect(list.files).toContainEqual(expect.objectContaining({ name: `${name}.json`, provider: 'codex' }));
    for (const name of PROTO_NAMES) {
      const down = await fetch(`${sy.url}/v0/management/auth-files/download?name=${name}.json`, { headers: h });
      expect(await down.json()).toMatchObject({ access_token: `tok-${name}` });
      const del = await fetch(`${sy.url}/v0/management/auth-files?name=${name}.json`, { method: 'DELETE', headers: h });
      expect(del.status, name).toBe(200);
    }
  });

  it('a sign-in URL for a prototype-named provider is an unknown provider (404), not a crash', async () => {
    for (const name of PROTO_NAMES) {
      const res = await fetch(`${sy.url}/v0/management/${name}-auth-url`, { headers: h });
      expect(res.status, name).toBe(404);
    }
  });

  it('deleting a prototype-named channel from the OAuth maps is "no such provider" (404)', async () => {
    for (const map of ['oauth-model-alias', 'oauth-excluded-models']) {
      for (const name of PROTO_NAMES) {
        const res = await fetch(`${sy.url}/v0/management/${map}?provider=${name}`, { method: 'DELETE', headers: h });
        expect(res.status, `${map} ${name}`).toBe(404);
      }
    }
  });

  it('usage rows with prototype-named models aggregate as ordinary models', async () => {
    const usage = sy.engine.usage!;
    for (const name of PROTO_NAMES) {
      usage.record({ time: Date.now(), inboundFormat: 'openai-chat', requestedModel: name, clientKeyLabel: name, inputTokens: 1, outputTokens: 2, reasoningTokens: 0, cachedTokens: 0, latencyMs: 5, status: 200, stream: false });
    }
    const res = await fetch(`${sy.url}/v0/management/usage`, { headers: h });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { apis: Record<string, { models: Record<string, { total_requests: number }> }> } };
    for (const name of PROTO_NAMES) expect(body.usage.apis[name]?.models[name]?.total_requests, name).toBe(1);
    expect(({} as Record<string, unknown>).total_requests).toBeUndefined();
  });
});


