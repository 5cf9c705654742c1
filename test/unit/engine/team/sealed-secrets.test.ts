import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../../../src-main/engine/accounts/file-secret-store';
import { open, seal, SealedRecordError } from '../../../../src-main/engine/team/crypto/envelope';
import { parseKeyring } from '../../../../src-main/engine/team/crypto/master-key';
import { rotateSecrets } from '../../../../src-main/engine/team/keys-rotate';

const OLD = '1'.repeat(64);
const NEW = Buffer.alloc(32, 7).toString('base64');
const record = { type: 'claude', access_token: 'sk-ant-oat01-SECRET-ACCESS', refresh_token: 'sk-ant-ort01-SECRET-REFRESH', email: 'a@example.com' };

describe('master key and sealed records (AES-256-GCM)', () => {
  it('accepts 64 hex digits, base64 of 32 bytes, or a long passphrase; refuses short ones', () => {
    expect(parseKeyring(OLD).current.key).toHaveLength(32);
    expect(parseKeyring(NEW).current.key.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(parseKeyring('correct horse battery staple').current.key).toHaveLength(32);
    expect(() => parseKeyring('short')).toThrow(/at least 16 characters/);
  });

  it('seals with a fresh IV each time and opens only with the same key and the same record id', () => {
    const ring = parseKeyring(OLD);
    const a = seal('hello', ring, 'acct-1');
    const b = seal('hello', ring, 'acct-1');
    expect(a.iv).not.toBe(b.iv);
    expect(open(a, ring, 'acct-1')).toBe('hello');
    // Moved to another account's slot: authentication fails.
    expect(() => open(a, ring, 'acct-2')).toThrow(/failed authentication/);
    expect(() => open({ ...a, data: Buffer.from('x').toString('base64') }, ring, 'acct-1')).toThrow(SealedRecordError);
  });

  it('names the key id when the configured key is not the one that sealed the record', () => {
    const sealed = seal('x', parseKeyring(OLD), 'id');
    expect(() => open(sealed, parseKeyring(NEW), 'id')).toThrow(`encrypted with key ${parseKeyring(OLD).current.id}, which SWITCHYARD_MASTER_KEY does not hold`);
    expect(() => open(sealed, undefined, 'id')).toThrow(/set SWITCHYARD_MASTER_KEY/);
  });
});

describe('the file store with a master key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-sealed-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes auth files that contain no token, and reads them back', async () => {
    const store = new FileSecretStore(dir, parseKeyring(OLD));
    await store.set('claude-a', record);
    const text = await readFile(path.join(dir, 'claude-a.json'), 'utf8');
    expect(text).not.toContain('SECRET');
    expect(text).toContain('switchyard-sealed-v1');
    expect(await store.get('claude-a')).toEqual(record);
  });

  it('still reads plaintext CLIProxyAPI files, and rotation seals them and moves old records to the new key', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'plain.json'), JSON.stringify(record));
    await new FileSecretStore(dir, parseKeyring(OLD)).set('old', record);
    const both = new FileSecretStore(dir, parseKeyring(`${NEW},${OLD}`));
    expect(await both.get('plain')).toEqual(record);
    const report = await rotateSecrets(both);
    expect(report).toEqual({ resealed: 2, skipped: [] });
    const onlyNew = new FileSecretStore(dir, parseKeyring(NEW));
    expect(await onlyNew.get('plain')).toEqual(record);
    expect(await onlyNew.get('old')).toEqual(record);
    expect(await readFile(path.join(dir, 'plain.json'), 'utf8')).not.toContain('SECRET');
  });

  it('rotation with the wrong key touches nothing and says which key each record needs', async () => {
    await new FileSecretStore(dir, parseKeyring(OLD)).set('old', record);
    const before = await readFile(path.join(dir, 'old.json'), 'utf8');
    const report = await rotateSecrets(new FileSecretStore(dir, parseKeyring(NEW)));
    expect(report.resealed).toBe(0);
    expect(report.skipped[0].reason).toContain(parseKeyring(OLD).current.id);
    expect(await readFile(path.join(dir, 'old.json'), 'utf8')).toBe(before);
  });
});

describe('a record sealed with a key this process does not hold', () => {
  it('is never overwritten by a write under another key', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-sealed-'));
    await new FileSecretStore(dir, parseKeyring(OLD)).set('acct', record);
    const before = await readFile(path.join(dir, 'acct.json'), 'utf8');
    await expect(new FileSecretStore(dir, parseKeyring(NEW)).set('acct', { ...record, access_token: 'other' })).rejects.toThrow(SealedRecordError);
    expect(await readFile(path.join(dir, 'acct.json'), 'utf8')).toBe(before);
    await rm(dir, { recursive: true, force: true });
  });
});
