import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore, openKeychainStore, type KeytarLike } from '../../../../src-main/engine/accounts/keychain-secret-store';

const hasSession = !!process.env.DBUS_SESSION_BUS_ADDRESS && process.env.SWITCHYARD_KEYRING !== 'unavailable';
if (!hasSession) {
  process.stderr.write('keychain tests skipped: DBUS_SESSION_BUS_ADDRESS is not set (run under dbus-run-session with gnome-keyring-daemon)\n');
}

describe.skipIf(!hasSession)('KeychainSecretStore against the real Secret Service', () => {
  // A throwaway service name so the test never touches real `switchyard` entries.
  const service = `switchyard-test-${randomBytes(4).toString('hex')}`;
  let store: KeychainSecretStore;
  afterAll(async () => {
    for (const id of (await store?.list()) ?? []) await store.delete(id);
  });

  it('stores one entry per account and round-trips the auth record', async () => {
    store = await openKeychainStore(service);
    const rec = { type: 'codex', access_token: 'at', refresh_token: 'rt', account_id: 'acct-1', email: 'k@example.com' };
    await store.set('codex-k@example.com', rec);
    await store.set('kimi-1', { type: 'kimi', access_token: 'k' });
    expect(await store.get('codex-k@example.com')).toEqual(rec);
    expect(await store.list()).toEqual(['codex-k@example.com', 'kimi-1']);
    await store.delete('kimi-1');
    expect(await store.get('kimi-1')).toBeUndefined();
    expect(await store.list()).toEqual(['codex-k@example.com']);
  });
});

describe('KeychainSecretStore semantics (in-memory keytar)', () => {
  it('reports a corrupt entry and refuses to overwrite it', async () => {
    const mem = new Map<string, string>([['switchyard/claude-x', 'not json']]);
    const keytar: KeytarLike = {
      getPassword: async (s, a) => mem.get(`${s}/${a}`) ?? null,
      setPassword: async (s, a, p) => void mem.set(`${s}/${a}`, p),
      deletePassword: async (s, a) => mem.delete(`${s}/${a}`),
      findCredentials: async (s) => [...mem].filter(([k]) => k.startsWith(`${s}/`)).map(([k, p]) => ({ account: k.slice(s.length + 1), password: p })),
    };
    const store = new KeychainSecretStore(keytar);
    await expect(store.get('claude-x')).rejects.toThrow(/keychain:switchyard\/claude-x is malformed/);
    await expect(store.set('claude-x', { type: 'claude', access_token: 'a' })).rejects.toThrow(/malformed/);
    expect(mem.get('switchyard/claude-x')).toBe('not json');
  });
});
