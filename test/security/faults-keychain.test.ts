import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokensOf } from '../../src-main/engine/accounts/auth-file';
import { KeychainSecretStore, type KeytarLike } from '../../src-main/engine/accounts/keychain-secret-store';
import { AccountRegistry } from '../../src-main/engine/accounts/registry';
import { signIn } from '../../src-main/engine/accounts/sign-in';
import { TokenCache } from '../../src-main/engine/accounts/token-cache';
import { providerAuths } from '../../src-main/engine/accounts/auths';
import { TestBrowser } from '../fakes/oauth/browser';
import { waitForLine } from '../fakes/oauth/lines';
import { startDeviceFake, type ProviderFake } from '../fakes/oauth/providers';

/**
 * The OS keychain stands in for keytar here (the external part); it locks the way libsecret
 * does ("Cannot create an item in a locked collection"). A token refresh while it is locked
 * must not lose the rotated refresh token: it is served from memory, the problem is reported
 * in words, and it is saved once the keychain opens again.
 */
class LockableKeychain implements KeytarLike {
  readonly items = new Map<string, string>();
  locked = false;
  private check(): void {
    if (this.locked) throw new Error('Cannot create an item in a locked collection');
  }
  async getPassword(service: string, account: string) {
    this.check();
    return this.items.get(`${service}/${account}`) ?? null;
  }
  async setPassword(service: string, account: string, password: string) {
    this.check();
    this.items.set(`${service}/${account}`, password);
  }
  async deletePassword(service: string, account: string) {
    this.check();
    return this.items.delete(`${service}/${account}`);
  }
  async findCredentials(service: string) {
    this.check();
    return [...this.items].filter(([k]) => k.startsWith(`${service}/`)).map(([k, password]) => ({ account: k.slice(service.length + 1), password }));
  }
}

const DEVICE_LINE = /^Open (\S+) and enter code (\S+)$/;

describe('keychain locked during a token refresh', () => {
  let pf: ProviderFake;
  let dir: string;
  let keychain: LockableKeychain;
  let registry: AccountRegistry;
  let id: string;
  let offset = 0;

  beforeEach(async () => {
    offset = 0;
    pf = await startDeviceFake('kimi');
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-keychain-'));
    keychain = new LockableKeychain();
    registry = new AccountRegistry(new KeychainSecretStore(keychain), dir);
    await registry.load();
    const lines: string[] = [];
    const run = signIn('kimi', { registry, hostOverrides: pf.overrides, say: (l) => lines.push(l), noBrowser: true, pollIntervalMs: 20 });
    const [, uri, code] = DEVICE_LINE.exec(await waitForLine(lines, DEVICE_LINE))!;
    await new TestBrowser().approveDevice(uri, code);
    id = (await run).account.id;
  });
  afterEach(async () => {
    await pf.fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  const stored = () => tokensOf(JSON.parse([...keychain.items.values()][0]) as Record<string, unknown>)!;

  it('serves the refreshed token, reports the problem, and saves the rotated refresh token once unlocked', async () => {
    const before = stored();
    const tokens = new TokenCache({ registry, auths: (p) => providerAuths[p], hostOverrides: () => pf.overrides, clock: () => Date.now() + offset });
    const problems: string[] = [];
    registry.on('store-error', (p: string) => problems.push(p));

    keychain.locked = true;
    offset = before.expiresAt! - Date.now() + 1_000; // expired
    const served = await tokens.getCredential(id);
    expect(served).not.toBe(before.accessToken);
    expect(await pf.fake.verifyAccessToken(served)).toBeDefined();
    // Said in words, naming the account and what happens to the token.
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(id);
    expect(problems[0]).toContain('locked collection');
    expect(problems[0]).toContain('kept in memory');
    expect(registry.problems().some((p) => p.includes('kept in memory'))).toBe(true);
    // Nothing reached the keychain yet; the old refresh token is spent (the fake rotates them).
    expect(stored().refreshToken).toBe(before.refreshToken);

    keychain.locked = false;
    expect(await registry.retryUnsaved()).toBe(1);
    const after = stored();
    expect(after.accessToken).toBe(served);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(registry.problems().some((p) => p.includes('kept in memory'))).toBe(false);
    // And that saved refresh token works: the account survives a restart.
    const restarted = new AccountRegistry(new KeychainSecretStore(keychain), dir);
    await restarted.load();
    const fresh = new TokenCache({ registry: restarted, auths: (p) => providerAuths[p], hostOverrides: () => pf.overrides });
    await fresh.refresh(id);
    expect(restarted.status(id)).toBe('active');
  }, 30_000);
});
