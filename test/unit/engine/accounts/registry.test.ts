import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../../../src-main/engine/accounts/registry';
import { FileSecretStore } from '../../../../src-main/engine/accounts/file-secret-store';
import { importAuthDir } from '../../../../src-main/engine/accounts/import';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/auth-files');
const NOW = Date.parse('2026-08-01T12:00:00Z');

describe('AccountRegistry', () => {
  let dir: string;
  let registry: AccountRegistry;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-reg-'));
    registry = new AccountRegistry(new FileSecretStore(path.join(dir, 'auth')), dir, { clock: () => NOW });
    await registry.load();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps metadata in accounts.json, apart from the secrets, and emits change events', async () => {
    let changes = 0;
    registry.on('change', () => changes++);
    const account = await registry.add({
      provider: 'codex',
      label: 'me@example.com',
      record: { type: 'codex', access_token: 'SECRET-A', refresh_token: 'SECRET-R', account_id: 'acct-1', email: 'me@example.com', expired: '2026-08-05T00:00:00Z' },
      extra: { account_id: 'acct-1' },
    });
    expect(account).toMatchObject({ id: 'codex-me@example.com', provider: 'codex', kind: 'oauth', label: 'me@example.com', order: 0, meta: { account_id: 'acct-1' } });
    const meta = await readFile(path.join(dir, 'accounts.json'), 'utf8');
    expect(meta).toContain('me@example.com');
    expect(meta).not.toContain('SECRET');
    await registry.update(account.id, { priority: 3, prefix: 'work' });
    expect(registry.account(account.id)).toMatchObject({ priority: 3, prefix: 'work' });
    await registry.update(account.id, { disabled: true });
    expect(registry.list()).toEqual([{ id: 'codex-me@example.com', provider: 'codex', label: 'me@example.com', status: 'disabled', expiresAt: '2026-08-05T00:00:00.000Z' }]);
    expect(registry.accounts()).toEqual([]);
    expect(changes).toBe(3);

    // A restart reads the same state back.
    const again = new AccountRegistry(new FileSecretStore(path.join(dir, 'auth')), dir, { clock: () => NOW });
    await again.load();
    expect(again.list()).toEqual(registry.list());
    expect(await again.remove(account.id)).toBe(true);
    expect(again.list()).toEqual([]);
    expect(await readdir(path.join(dir, 'auth'))).toEqual([]);
  });

  it('imports CLIProxyAPI auth files, skipping malformed and non-sign-in ones without touching them', async () => {
    const src = path.join(dir, 'cliproxy');
    await cp(fixtures, src, { recursive: true });
    const before = await readFile(path.join(src, 'claude-broken@example.com.json'), 'utf8');
    const report = await importAuthDir(src, registry);
    expect(report.imported.map((i) => i.id).sort()).toEqual([
      'antigravity-user@example.com',
      'claude-user@example.com',
      'codex-user@example.com-plus',
      'gemini-user@example.com-my-project',
      'iflow-13800000000-1785578400',
      'kimi-1785578400000',
      'qwen-user@example.com',
    ]);
    expect(report.skipped).toEqual([
      { file: path.join(src, 'claude-broken@example.com.json'), reason: expect.stringMatching(/malformed/) },
      { file: path.join(src, 'vertex-my-project.json'), reason: 'type "vertex" is not a sign-in provider' },
    ]);
    expect(await readFile(path.join(src, 'claude-broken@example.com.json'), 'utf8')).toBe(before);

    const byId = Object.fromEntries(registry.list().map((a) => [a.id, a]));
    expect(byId['gemini-user@example.com-my-project']).toMatchObject({ provider: 'gemini-cli', label: 'user@example.com', status: 'active' });
    expect(byId['iflow-13800000000-1785578400'].status).toBe('disabled');
    expect(registry.account('claude-user@example.com')).toMatchObject({ prefix: 'team', priority: 5 });
    expect(registry.account('gemini-user@example.com-my-project')!.meta.projectId).toBe('my-project');
    expect(registry.account('qwen-user@example.com')!.meta.resource_url).toBe('portal.qwen.ai');
    // Imported files keep CLIProxyAPI's layout byte-for-field.
    const copied = JSON.parse(await readFile(path.join(dir, 'auth', 'gemini-user@example.com-my-project.json'), 'utf8')) as Record<string, unknown>;
    expect(copied).toEqual(JSON.parse(await readFile(path.join(fixtures, 'gemini-user@example.com-my-project.json'), 'utf8')));
  });

  it('lists an unreadable auth file as needing sign-in and reports it, leaving it in place', async () => {
    await cp(path.join(fixtures, 'claude-broken@example.com.json'), path.join(dir, 'auth', 'claude-broken@example.com.json'));
    await registry.load();
    expect(registry.problems()).toEqual([expect.stringMatching(/claude-broken@example\.com\.json is malformed/)]);
    expect(registry.accounts()).toEqual([]);
  });

  it('reports an invalid accounts.json, never overwrites it, and still lists accounts from the auth dir', async () => {
    await cp(path.join(fixtures, 'kimi-1785578400000.json'), path.join(dir, 'auth', 'kimi-1785578400000.json'));
    await writeFile(path.join(dir, 'accounts.json'), '{"version": 1, "accounts": 7}');
    await registry.load();
    expect(registry.problems()[0]).toMatch(/accounts\.json is invalid .* left untouched/);
    expect(registry.list().map((a) => a.id)).toEqual(['kimi-1785578400000']);
    await expect(registry.update('kimi-1785578400000', { label: 'x' })).rejects.toThrow(/accounts\.json is invalid/);
    expect(await readFile(path.join(dir, 'accounts.json'), 'utf8')).toBe('{"version": 1, "accounts": 7}');
  });
});
