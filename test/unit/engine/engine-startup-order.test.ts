/**
 * Start-up order: the port opens before the signed-in accounts are loaded (the keychain and auth
 * files are slow), and a request that arrives in between waits for them: it is served by the
 * signed-in account, never answered "no account" because the engine was still loading.
 * The secret store here answers only when the test lets it (a real file store behind a latch).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../../src-main/engine/accounts/registry';
import { FileSecretStore } from '../../../src-main/engine/accounts/file-secret-store';
import type { SecretStore } from '../../../src-main/engine/accounts/secret-store';
import type { AuthRecord } from '../../../src-main/engine/accounts/types';
import { ConfigStore } from '../../../src-main/engine/config/store';
import { Engine } from '../../../src-main/engine/engine';
import { silentLogger } from '../../../src-main/engine/log/logger';
import { providerFor } from '../../../src-main/engine/providers';
import { accountsFromConfig } from '../../../src-main/engine/providers/config-accounts';
import { SqliteCooldownStore } from '../../../src-main/engine/routing';
import { statePath } from '../../../src-main/engine/engine-composition';
import { startClaudeUpstream, type FakeUpstream } from '../../fakes/upstreams/claude-upstream';
import { startOpenAIChatUpstream } from '../../fakes/upstreams/openai-chat-upstream';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A real file store whose reads wait until `open()`: the slow keychain of a real start. */
class LatchedStore implements SecretStore {
  readonly kind = 'file' as const;
  private wasAsked!: () => void;
  /** Settles at the first read: the account load has reached the store and waits there. */
  readonly asked = new Promise<void>((resolve) => (this.wasAsked = resolve));
  private opened!: () => void;
  private readonly latch = new Promise<void>((resolve) => (this.opened = resolve));
  constructor(private readonly inner: FileSecretStore) {}
  open(): void {
    this.opened();
  }
  async get(id: string): Promise<AuthRecord | undefined> {
    this.wasAsked();
    await this.latch;
    return this.inner.get(id);
  }
  async list(): Promise<string[]> {
    this.wasAsked();
    await this.latch;
    return this.inner.list();
  }
  set(id: string, secret: AuthRecord): Promise<void> {
    return this.inner.set(id, secret);
  }
  delete(id: string): Promise<void> {
    return this.inner.delete(id);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Until the port accepts (each try is one connection attempt, no timer); false if it never does. */
async function portOpens(port: number, tries = 500): Promise<boolean> {
  for (let i = 0; i < tries; i++) if (await accepts(port)) return true;
  return false;
}

/** A data dir holding one signed-in Claude account (auth file + accounts.json), and an engine on it. */
async function signedInEngine(upstream: FakeUpstream) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-order-'));
  const files = new FileSecretStore(path.join(dir, 'auth'));
  const registry = new AccountRegistry(files, dir);
  await registry.load();
  await registry.add({
    provider: 'claude',
    label: 'early@example.com',
    record: { type: 'claude', access_token: 'sk-ant-oat01-EARLY', refresh_token: 'sk-ant-ort01-EARLY', email: 'early@example.com', expired: '2099-01-01T00:00:00Z' },
  });
  const port = await freePort();
  const yaml = `host: 127.0.0.1\nport: ${port}\nusage-sqlite:\n  enable: false\nhost-overrides:\n  "https://api.anthropic.com": "${upstream.url}"\n`;
  const file = path.join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  const store = new LatchedStore(files);
  const engine = new Engine({ config: ConfigStore.fromText(yaml, file), dataDir: dir, logger: silentLogger, secretStore: store });
  cleanups.push(() => (store.open(), engine.close(100)));
  return { engine, store, port };
}

describe('start-up order', () => {
  it('opens the port before the signed-in accounts load; a request sent meanwhile waits and is served by the signed-in account', async () => {
    const upstream = await startClaudeUpstream();
    cleanups.push(() => upstream.close());
    const { engine, store, port } = await signedInEngine(upstream);
    let started = false;
    const start = engine.start().then((a) => ((started = true), a));

    expect(await portOpens(port)).toBe(true);
    expect(engine.accounts()).toEqual([]); // still loading: the store has not answered

    let answered = false;
    const model = providerFor('claude').defaultModels[0];
    const reply = fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    }).then((r) => ((answered = true), r));
    // Until the account load reaches the store (its file housekeeping comes first) and waits there.
    await store.asked;
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    expect(started).toBe(false); // start() still resolves once the engine serves, as before
    expect(upstream.requests).toHaveLength(0);

    store.open();
    const res = await reply;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { content: Array<{ text: string }> }).content[0].text).toBe('Hello from the fake Claude.');
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0].headers.authorization).toBe('Bearer sk-ant-oat01-EARLY');
    expect((await start).port).toBe(port);
    expect(engine.accounts().map((a) => a.id)).toEqual(['claude-early@example.com']);
  });

  it('an account benched before the restart is not used by a request that arrives while the engine still loads', async () => {
    const upstream = await startOpenAIChatUpstream();
    cleanups.push(() => upstream.close());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-order-'));
    const port = await freePort();
    const yaml = `host: 127.0.0.1\nport: ${port}\nusage-sqlite:\n  enable: false\nopenai-compatibility:\n  - name: mock\n    base-url: ${upstream.url}/v1\n    api-key-entries: [{ api-key: sk-first }, { api-key: sk-second }]\n    models: [{ name: gpt-4o-mini, alias: gpt-4o-mini }]\n`;
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, yaml);
    const config = ConfigStore.fromText(yaml, file);
    const [first, second] = accountsFromConfig(config.current).map((k) => k.account.id);
    // The last run benched the first key for an hour (it is what state.db says after a restart).
    const now = Date.now();
    await new SqliteCooldownStore(statePath(dir)).save([{ accountId: first, model: '', until: now + 3_600_000, reason: 'rate-limit', level: 0, setAt: now }]);
    const store = new LatchedStore(new FileSecretStore(path.join(dir, 'auth')));
    const engine = new Engine({ config, dataDir: dir, logger: silentLogger, secretStore: store });
    cleanups.push(() => (store.open(), engine.close(100)));
    const start = engine.start();

    expect(await portOpens(port)).toBe(true);
    const reply = fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await store.asked;
    store.open();
    expect((await reply).status).toBe(200);
    await start;
    expect(upstream.requests.map((r) => r.headers.authorization)).toEqual(['Bearer sk-second']);
    expect(engine.routing.cooldownsFor(first)).toHaveLength(1);
    expect(engine.routing.cooldownsFor(second)).toHaveLength(0);
  });

  it('a close while the accounts still load waits for them, then leaves nothing listening', async () => {
    const upstream = await startClaudeUpstream();
    cleanups.push(() => upstream.close());
    const { engine, store, port } = await signedInEngine(upstream);
    const start = engine.start();
    expect(await portOpens(port)).toBe(true);
    let closed = false;
    const close = engine.close(100).then(() => (closed = true));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    store.open();
    await close;
    await start;
    expect(await accepts(port)).toBe(false);
    expect(engine.state).toBe('stopped');
  });
});
