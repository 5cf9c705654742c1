import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeychainSecretStore, type KeytarLike } from '../../../../src-main/engine/accounts/keychain-secret-store';
import { SharedSecretStore } from '../../../../src-main/engine/accounts/shared-secret-store';
import { createSecretStore, storeOf } from '../../../../src-main/engine/accounts';
import { configSchema } from '../../../../src-shared/config/schema';
import { openDesktopRuntime } from '../../../../src-main/shell/open-engine';
import { writeFile } from 'node:fs/promises';

/**
 * One account store for the CLI and the desktop app: with `secret-store` unset both use auth
 * files (where every new sign-in goes) and still see the accounts an earlier desktop version kept
 * in the OS keychain, each reported where it lives.
 */
function memKeychain(entries: Record<string, unknown> = {}): { store: KeychainSecretStore; mem: Map<string, string> } {
  const mem = new Map<string, string>(Object.entries(entries).map(([id, rec]) => [`switchyard/${id}`, JSON.stringify(rec)]));
  const keytar: KeytarLike = {
    getPassword: async (s, a) => mem.get(`${s}/${a}`) ?? null,
    setPassword: async (s, a, p) => void mem.set(`${s}/${a}`, p),
    deletePassword: async (s, a) => mem.delete(`${s}/${a}`),
    findCredentials: async (s) => [...mem].filter(([k]) => k.startsWith(`${s}/`)).map(([k, p]) => ({ account: k.slice(s.length + 1), password: p })),
  };
  return { store: new KeychainSecretStore(keytar), mem };
}

describe('shared account store (the default of CLI and app)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-shared-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lists file and keychain accounts together and says where each lives', async () => {
    const { store: kc, mem } = memKeychain({ 'claude-old@example.com': { type: 'claude', access_token: 'kc-token' } });
    const store = new SharedSecretStore(path.join(dir, 'auth'), async () => kc);
    await store.set('codex-new@example.com', { type: 'codex', access_token: 'file-token' });
    expect(await store.list()).toEqual(['claude-old@example.com', 'codex-new@example.com']);
    expect(store.locationOf('claude-old@example.com')).toBe('keychain');
    expect(storeOf(store, 'codex-new@example.com')).toBe('file');
    expect((await store.get('claude-old@example.com'))?.access_token).toBe('kc-token');

    // A refreshed keychain token goes back to the keychain; nothing is copied into files.
    await store.set('claude-old@example.com', { type: 'claude', access_token: 'kc-token-2' });
    expect(JSON.parse(mem.get('switchyard/claude-old@example.com')!)).toMatchObject({ access_token: 'kc-token-2' });
    expect(await readdir(path.join(dir, 'auth'))).toEqual(['codex-new@example.com.json']);

    await store.delete('claude-old@example.com');
    expect(mem.has('switchyard/claude-old@example.com')).toBe(false);
    expect(await store.list()).toEqual(['codex-new@example.com']);
  });

  it('without a keychain it is the file store', async () => {
    const store = new SharedSecretStore(path.join(dir, 'auth'), async () => {
      throw new Error('the OS keychain is not available');
    });
    await store.set('qwen-a', { type: 'qwen', access_token: 't' });
    expect(await store.list()).toEqual(['qwen-a']);
    expect(storeOf(store, 'qwen-a')).toBe('file');
  });

  it('is what an unset secret-store means; explicit values still win', async () => {
    const cfg = configSchema.parse({});
    expect(await createSecretStore(cfg, dir)).toBeInstanceOf(SharedSecretStore);
    expect(await createSecretStore(configSchema.parse({ 'secret-store': 'file' }), dir)).not.toBeInstanceOf(SharedSecretStore);
  });

  it('an account written by `switchyard login` (files) is an account of the desktop app', async () => {
    const cli = await createSecretStore(configSchema.parse({}), dir);
    await cli.set('kimi-1', { type: 'kimi', access_token: 'k', refresh_token: 'r', expired: '2099-01-01T00:00:00Z' });
    await writeFile(path.join(dir, 'config.yaml'), 'usage-sqlite: {enable: false}\nport: 0\n');
    const before = process.env.SWITCHYARD_HOME;
    process.env.SWITCHYARD_HOME = dir;
    const desktop = await openDesktopRuntime({ version: 'test', openUrl: async () => undefined });
    try {
      await vi.waitFor(() => expect(desktop.control.desktop.accounts().map((a) => a.id)).toEqual(['kimi-1']), { timeout: 10_000 });
    } finally {
      await desktop.close();
      if (before === undefined) delete process.env.SWITCHYARD_HOME;
      else process.env.SWITCHYARD_HOME = before;
    }
  });
});
