import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../../src-main/engine/accounts/registry';
import { TokenCache } from '../../../src-main/engine/accounts/token-cache';
import { authFor } from '../../../src-main/engine/accounts/auths';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { createPool } from '../../../src-main/engine/team/postgres/pool';
import { migrate } from '../../../src-main/engine/team/postgres/migrations';
import { PgSecretStore } from '../../../src-main/engine/team/postgres/secret-store';
import { withAccountLock } from '../../../src-main/engine/team/postgres/refresh-lock';
import { parseKeyring } from '../../../src-main/engine/team/crypto/master-key';
import { TestBrowser } from '../../fakes/oauth/browser';
import { waitForLine } from '../../fakes/oauth/lines';
import { startDeviceFake, type ProviderFake } from '../../fakes/oauth/providers';
import type { TestCluster } from '../../fakes/postgres/cluster';
import { clusterWithDatabases, MASTER_KEY, query } from './support';

const DEVICE_LINE = /^Open (\S+) and enter code (\S+)$/;

/** One engine's view of the shared store: its own pool, registry (own data dir) and token cache. */
async function instance(url: string, keySpec: string, overrides: Record<string, string>, clock: () => number) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-team-'));
  const pool = createPool(url, () => undefined);
  const ready = migrate(pool);
  const store = new PgSecretStore(pool, ready, parseKeyring(keySpec));
  const registry = new AccountRegistry(store, dir);
  await registry.load();
  const tokens = new TokenCache({
    registry,
    auths: authFor,
    hostOverrides: () => overrides,
    clock,
    coordinator: { exclusive: (id, fn) => withAccountLock(pool, id, fn) },
  });
  return { store, registry, tokens, pool, close: async () => (await pool.end(), await rm(dir, { recursive: true, force: true })) };
}

describe('team server: accounts and tokens in the shared database', () => {
  let cluster: TestCluster;
  let fresh: () => Promise<string>;
  let pf: ProviderFake;

  beforeAll(async () => {
    ({ cluster, fresh } = await clusterWithDatabases());
    pf = await startDeviceFake('kimi');
  }, 120_000);
  afterAll(async () => {
    await pf?.fake.close();
    cluster?.destroy();
  });

  async function signedIn(url: string, clock: () => number) {
    const a = await instance(url, MASTER_KEY, pf.overrides, clock);
    const lines: string[] = [];
    const run = signIn('kimi', { registry: a.registry, hostOverrides: pf.overrides, say: (l) => lines.push(l), noBrowser: true, pollIntervalMs: 20 });
    const [, uri, code] = DEVICE_LINE.exec(await waitForLine(lines, DEVICE_LINE))!;
    await new TestBrowser().approveDevice(uri, code);
    const id = (await run).account.id;
    return { a, id };
  }

  it('keeps tokens sealed: a row read straight from the database holds no token', async () => {
    const url = await fresh();
    const { a, id } = await signedIn(url, Date.now);
    const token = a.registry.tokens(id)!;
    const rows = await query<{ key_id: string; sealed: string }>(url, 'SELECT key_id, sealed FROM secrets WHERE id = $1', [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].sealed).not.toContain(token.accessToken);
    expect(rows[0].sealed).not.toContain(token.refreshToken!);
    expect(rows[0].key_id).toBe(parseKeyring(MASTER_KEY).current.id);
    await a.close();
  });

  it('a wrong master key gives a clear error naming the key id', async () => {
    const url = await fresh();
    const { a, id } = await signedIn(url, Date.now);
    await a.close();
    const other = await instance(url, 'b'.repeat(64), pf.overrides, Date.now);
    const kid = parseKeyring(MASTER_KEY).current.id;
    await expect(other.store.get(id)).rejects.toThrow(new RegExp(`encrypted with key ${kid}, which SWITCHYARD_MASTER_KEY does not hold`));
    // The registry keeps serving: the account is listed with the problem, nothing is thrown or lost.
    expect(other.registry.problems().join('\n')).toContain(`encrypted with key ${kid}`);
    expect((await query<{ n: string }>(url, 'SELECT count(*) AS n FROM secrets'))[0].n).toBe('1');
    await other.close();
  });

  it('rotates: with "new,old" keys every row is re-sealed with the new key and still opens', async () => {
    const url = await fresh();
    const { a, id } = await signedIn(url, Date.now);
    const before = a.registry.tokens(id)!.accessToken;
    await a.close();
    const newKey = 'c'.repeat(64);
    const both = await instance(url, `${newKey},${MASTER_KEY}`, pf.overrides, Date.now);
    expect(await both.store.rotate()).toBe(1);
    await both.close();
    const onlyNew = await instance(url, newKey, pf.overrides, Date.now);
    expect((await onlyNew.store.get(id))?.access_token).toBe(before);
    await onlyNew.close();
  });

  it('20 concurrent requests on each of two instances with an expiring token make exactly one refresh grant', async () => {
    const url = await fresh();
    let offset = 0;
    const clock = () => Date.now() + offset;
    const { a, id } = await signedIn(url, clock);
    const b = await instance(url, MASTER_KEY, pf.overrides, clock);
    const expiresAt = a.registry.tokens(id)!.expiresAt!;
    offset = expiresAt - Date.now() + 1_000; // expired for both instances
    const refreshesBefore = pf.fake.counters.refresh;
    const got = await Promise.all([
      ...Array.from({ length: 20 }, () => a.tokens.getCredential(id)),
      ...Array.from({ length: 20 }, () => b.tokens.getCredential(id)),
    ]);
    expect(pf.fake.counters.refresh - refreshesBefore).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(await pf.fake.verifyAccessToken(got[0])).toBeDefined();
    await a.close();
    await b.close();
  });

  it('killing the refreshing instance mid-refresh loses no token; the other instance then refreshes', async () => {
    const url = await fresh();
    const { a, id } = await signedIn(url, Date.now);
    const before = a.registry.tokens(id)!;
    const release = pf.fake.holdTokens();
    const childDir = await mkdtemp(path.join(os.tmpdir(), 'sy-team-child-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'refresh-child.ts'), url, childDir, id, JSON.stringify(pf.overrides)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SWITCHYARD_MASTER_KEY: MASTER_KEY } },
    );
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const sentBefore = pf.fake.counters.token;
    const deadline = Date.now() + 15_000;
    while (pf.fake.counters.token === sentBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(pf.fake.counters.token).toBe(sentBefore + 1); // the child holds the lock and its refresh is on the wire
    child.kill('SIGKILL');
    await exited;
    release();
    // The database still holds the last good tokens, sealed.
    await a.registry.load();
    expect(a.registry.tokens(id)).toEqual(before);
    // The child's lock died with its connection: this instance refreshes at once with the surviving token.
    await a.tokens.refresh(id);
    const after = a.registry.tokens(id)!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(await pf.fake.verifyAccessToken(after.accessToken)).toBeDefined();
    await a.close();
    await rm(childDir, { recursive: true, force: true });
  }, 60_000);
});
