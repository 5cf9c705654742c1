import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src-shared/config/schema';
import { FileSecretStore } from '../../../src-main/engine/accounts/file-secret-store';
import { parseKeyring } from '../../../src-main/engine/team/crypto/master-key';
import { runKeys } from '../../../src-main/cli/keys';

const OLD = '1'.repeat(64);
const NEW = '2'.repeat(64);
const record = { type: 'codex', access_token: 'ACCESS-SECRET', refresh_token: 'REFRESH-SECRET' };

function io(dir: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const config = configSchema.parse({ 'auth-dir': path.join(dir, 'auth'), 'secret-store': 'file' });
  return { io: { stdout, stderr, stdin: new PassThrough(), config, dataDir: dir }, out: () => out, err: () => err };
}

describe('switchyard keys rotate', () => {
  let dir: string;
  const saved = process.env.SWITCHYARD_MASTER_KEY;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-keys-'));
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.SWITCHYARD_MASTER_KEY;
    else process.env.SWITCHYARD_MASTER_KEY = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('re-seals every auth file with the new key and says which key', async () => {
    await new FileSecretStore(path.join(dir, 'auth'), parseKeyring(OLD)).set('codex-a', record);
    process.env.SWITCHYARD_MASTER_KEY = `${NEW},${OLD}`;
    const t = io(dir);
    expect(await runKeys(['rotate'], t.io)).toBe(0);
    expect(t.out()).toBe(`1 account(s) sealed with key ${parseKeyring(NEW).current.id}, 0 skipped\n`);
    expect(await new FileSecretStore(path.join(dir, 'auth'), parseKeyring(NEW)).get('codex-a')).toEqual(record);
    expect(await readFile(path.join(dir, 'auth', 'codex-a.json'), 'utf8')).not.toContain('SECRET');
  });

  it('without a master key, or with a wrong one, changes nothing and says why', async () => {
    delete process.env.SWITCHYARD_MASTER_KEY;
    const none = io(dir);
    expect(await runKeys(['rotate'], none.io)).toBe(2);
    expect(none.err()).toMatch(/set SWITCHYARD_MASTER_KEY/);
    await new FileSecretStore(path.join(dir, 'auth'), parseKeyring(OLD)).set('codex-a', record);
    process.env.SWITCHYARD_MASTER_KEY = NEW;
    const wrong = io(dir);
    expect(await runKeys(['rotate'], wrong.io)).toBe(1);
    expect(wrong.err()).toContain(`encrypted with key ${parseKeyring(OLD).current.id}`);
    expect(await runKeys(['spin'], io(dir).io)).toBe(2);
  });
});
