import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../../../src-main/engine/accounts/file-secret-store';
import { MalformedAuthFileError } from '../../../../src-main/engine/accounts/auth-file';

describe('FileSecretStore (auth-dir, CLIProxyAPI format)', () => {
  let dir: string;
  let store: FileSecretStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-store-'));
    store = new FileSecretStore(path.join(dir, 'auth'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips a record in a 0600 file inside a 0700 directory', async () => {
    const rec = { type: 'claude', access_token: 'a', refresh_token: 'r', email: 'x@y.z', custom_field: { keep: true } };
    await store.set('claude-x@y.z', rec);
    expect(await store.get('claude-x@y.z')).toEqual(rec);
    expect((await stat(path.join(dir, 'auth', 'claude-x@y.z.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'auth'))).mode & 0o777).toBe(0o700);
    expect(await store.list()).toEqual(['claude-x@y.z']);
    await store.delete('claude-x@y.z');
    expect(await store.get('claude-x@y.z')).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('reports a malformed file and never overwrites it', async () => {
    await mkdir(path.join(dir, 'auth'), { recursive: true });
    const file = path.join(dir, 'auth', 'codex-bad.json');
    await writeFile(file, '{"type":"codex", "access_token":');
    await expect(store.get('codex-bad')).rejects.toBeInstanceOf(MalformedAuthFileError);
    await expect(store.set('codex-bad', { type: 'codex', access_token: 'new' })).rejects.toThrow(/codex-bad\.json is malformed .* left untouched/);
    expect(await readFile(file, 'utf8')).toBe('{"type":"codex", "access_token":');
    expect(await store.list()).toEqual(['codex-bad']);
  });

  it('refuses ids that could escape the directory', async () => {
    await expect(store.set('../evil', { type: 'claude', access_token: 'a' })).rejects.toThrow(/invalid account id/);
    await expect(store.get('.hidden')).rejects.toThrow(/invalid account id/);
  });

  it('ignores temp files and non-JSON files when listing', async () => {
    await mkdir(path.join(dir, 'auth'), { recursive: true });
    await writeFile(path.join(dir, 'auth', '.claude-a.json.123.tmp'), 'x');
    await writeFile(path.join(dir, 'auth', 'notes.txt'), 'x');
    await writeFile(path.join(dir, 'auth', 'kimi-1.json'), JSON.stringify({ type: 'kimi', access_token: 'k' }));
    expect(await store.list()).toEqual(['kimi-1']);
  });
});
