import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../../../src-main/engine/accounts/registry';
import { FileSecretStore } from '../../../../src-main/engine/accounts/file-secret-store';
import { watchAccounts } from '../../../../src-main/engine/accounts/watch';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/auth-files');

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watchAccounts', () => {
  let dir: string;
  let stop: (() => void) | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-watch-'));
  });
  afterEach(async () => {
    stop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('picks up accounts added by another process and keeps serving through a broken file', async () => {
    const registry = new AccountRegistry(new FileSecretStore(path.join(dir, 'auth')), dir);
    await registry.load();
    let changes = 0;
    registry.on('change', () => changes++);
    stop = watchAccounts(registry, { debounceMs: 50 });

    // Another process (say `switchyard login`) writes a new auth file.
    const other = new AccountRegistry(new FileSecretStore(path.join(dir, 'auth')), dir);
    await other.load();
    await other.add({ provider: 'kimi', label: 'Kimi A', id: 'kimi-1', record: { type: 'kimi', access_token: 'k', refresh_token: 'r' } });
    await until(() => registry.list().some((a) => a.id === 'kimi-1' && a.label === 'Kimi A'));
    expect(changes).toBeGreaterThan(0);

    await cp(path.join(fixtures, 'qwen-user@example.com.json'), path.join(dir, 'auth', 'qwen-user@example.com.json'));
    await until(() => registry.list().some((a) => a.id === 'qwen-user@example.com'));

    await writeFile(path.join(dir, 'auth', 'codex-broken.json'), '{');
    await until(() => registry.problems().some((p) => p.includes('codex-broken.json')));
    expect(registry.accounts().map((a) => a.id).sort()).toEqual(['kimi-1', 'qwen-user@example.com']);
  });
});
