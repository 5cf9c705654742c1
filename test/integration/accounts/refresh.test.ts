import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { tokensOf } from '../../../src-main/engine/accounts/auth-file';
import { TestBrowser } from '../../fakes/oauth/browser';
import { waitForLine } from '../../fakes/oauth/lines';
import { startDeviceFake, type ProviderFake } from '../../fakes/oauth/providers';
import { tokenCacheFor, workspace, type Workspace } from './helpers';

const DEVICE_LINE = /^Open (\S+) and enter code (\S+)$/;

describe('token cache against a real authorization server', () => {
  let pf: ProviderFake;
  let ws: Workspace;
  let id: string;
  let offset = 0;
  const clock = () => Date.now() + offset;

  beforeEach(async () => {
    offset = 0;
    pf = await startDeviceFake('kimi');
    ws = await workspace();
    const run = signIn('kimi', { registry: ws.registry, hostOverrides: pf.overrides, say: ws.say, noBrowser: true, pollIntervalMs: 20 });
    const [, uri, code] = DEVICE_LINE.exec(await waitForLine(ws.lines, DEVICE_LINE))!;
    await new TestBrowser().approveDevice(uri, code);
    id = (await run).account.id;
  });
  afterEach(async () => {
    await pf.fake.close();
    await ws.cleanup();
  });

  const fileTokens = async () => tokensOf(JSON.parse(await readFile(path.join(ws.authDir, `${id}.json`), 'utf8')) as Record<string, unknown>)!;

  it('serves the still-valid token at once and refreshes it in the background ahead of expiry', async () => {
    const before = await fileTokens();
    const tokens = tokenCacheFor(ws, pf.overrides, {}, clock);
    offset = before.expiresAt! - Date.now() - 4 * 60_000; // 4 min left, inside Kimi's 5 min lead
    expect(await tokens.getCredential(id)).toBe(before.accessToken);
    await tokens.idle();
    const after = await fileTokens();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken); // rotated, and saved
    expect(await pf.fake.verifyAccessToken(after.accessToken)).toBeDefined();
    expect(await tokens.getCredential(id)).toBe(after.accessToken);
    // The background loop leaves a fresh token alone.
    await tokens.tick();
    expect(tokens.refreshCount).toBe(1);
  });

  it('merges 20 concurrent requests for an expired token into one refresh', async () => {
    const before = await fileTokens();
    const tokens = tokenCacheFor(ws, pf.overrides, {}, clock);
    offset = before.expiresAt! - Date.now() + 1_000; // expired
    const got = await Promise.all(Array.from({ length: 20 }, () => tokens.getCredential(id)));
    expect(pf.fake.counters.refresh).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(got[0]).toBe((await fileTokens()).accessToken);
    // A 401 right after that refresh does not trigger a second one.
    expect(await tokens.onUnauthorized(id)).toBe(true);
    expect(pf.fake.counters.refresh).toBe(1);
  });

  it('a 401 forces exactly one refresh', async () => {
    const tokens = tokenCacheFor(ws, pf.overrides, {}, clock);
    const before = await tokens.getCredential(id);
    const results = await Promise.all([tokens.onUnauthorized(id), tokens.onUnauthorized(id), tokens.onUnauthorized(id)]);
    expect(results).toEqual([true, true, true]);
    expect(pf.fake.counters.refresh).toBe(1);
    expect(await tokens.getCredential(id)).not.toBe(before);
  });

  it('marks the account needs-login when the refresh token is revoked, keeping it and its file', async () => {
    const before = await fileTokens();
    await pf.fake.revokeRefreshToken(before.refreshToken!);
    const tokens = tokenCacheFor(ws, pf.overrides, {}, clock);
    offset = before.expiresAt! - Date.now() + 1_000;
    await expect(tokens.getCredential(id)).rejects.toThrow(/invalid_grant/);
    expect(ws.registry.status(id)).toBe('needs-login');
    expect(ws.registry.list()).toEqual([expect.objectContaining({ id, status: 'needs-login', reason: expect.stringMatching(/invalid_grant/) })]);
    expect(ws.registry.accounts()).toEqual([]);
    await expect(tokens.getCredential(id)).rejects.toThrow(/needs a new sign-in/);
    expect(await fileTokens()).toEqual(before);
    // The status survives a restart.
    await ws.registry.load();
    expect(ws.registry.status(id)).toBe('needs-login');
  });

  it('keeps the account active when the token server is unreachable, and backs off', async () => {
    const before = await fileTokens();
    const tokens = tokenCacheFor(ws, pf.overrides, {}, clock);
    offset = before.expiresAt! - Date.now() + 1_000;
    await pf.fake.close();
    await expect(tokens.getCredential(id)).rejects.toThrow(/refresh failed/);
    expect(ws.registry.status(id)).toBe('active');
    expect(await fileTokens()).toEqual(before);
    await tokens.tick(); // inside the back-off: no new attempt
    expect(tokens.refreshCount).toBe(1);
    pf = await startDeviceFake('kimi'); // afterEach closes it
  });

  it('loses no token when the process is killed in the middle of a refresh', async () => {
    const before = await fileTokens();
    const release = pf.fake.holdTokens();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'refresh-child.ts'), ws.dir, id, JSON.stringify(pf.overrides)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const sentBefore = pf.fake.counters.token;
    const deadline = Date.now() + 10_000;
    while (pf.fake.counters.token === sentBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(pf.fake.counters.token).toBe(sentBefore + 1); // the refresh is on the wire
    child.kill('SIGKILL');
    await exited;
    release();
    expect(await fileTokens()).toEqual(before);
    // The surviving token still works: a fresh process refreshes with it.
    await ws.registry.load();
    const tokens = tokenCacheFor(ws, pf.overrides);
    await tokens.refresh(id);
    expect((await fileTokens()).accessToken).not.toBe(before.accessToken);
  });
});
