import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkGoldenFile, checkInlineGolden, FIXTURES, updatingGoldens } from './golden';

describe('the golden harness', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('fails when an expected file is missing, and writes nothing', async () => {
    vi.stubEnv('UPDATE_GOLDEN', '');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-golden-'));
    const rel = path.relative(FIXTURES, path.join(dir, 'new-case.json'));
    expect(() => checkGoldenFile('{}\n', rel, () => undefined)).toThrow(/does not exist; create it with `npm run test:update-goldens`/);
    await expect(readFile(path.join(dir, 'new-case.json'))).rejects.toThrow(/ENOENT/);
    await rm(dir, { recursive: true, force: true });
  });

  it('fails for an inline fixture without "expected"', () => {
    vi.stubEnv('UPDATE_GOLDEN', '');
    expect(() => checkInlineGolden({ a: 1 }, { input: {} }, 'x.json')).toThrow(/"expected" in x\.json does not exist/);
  });

  it('writes expected files only when asked to, and never under CI', async () => {
    vi.stubEnv('UPDATE_GOLDEN', '1');
    vi.stubEnv('CI', '');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-golden-'));
    checkGoldenFile('{"a":1}\n', path.relative(FIXTURES, path.join(dir, 'sub/case.json')), () => undefined);
    expect(await readFile(path.join(dir, 'sub/case.json'), 'utf8')).toBe('{"a":1}\n');
    await rm(dir, { recursive: true, force: true });
    vi.stubEnv('CI', 'true');
    expect(() => updatingGoldens()).toThrow(/under CI/);
  });
});
