import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigStore } from '../../../../src-main/engine/config/store';
import type { ConfigError } from '../../../../src-main/engine/config/load';

const dirs: string[] = [];
async function tempFile(text?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-config-'));
  dirs.push(dir);
  const file = path.join(dir, 'config.yaml');
  if (text !== undefined) await writeFile(file, text);
  return file;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function nextEvent<T>(store: ConfigStore, name: 'change' | 'invalid', ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${name} event within ${ms} ms`)), ms);
    store.once(name, ((arg: T) => {
      clearTimeout(t);
      resolve(arg);
    }) as never);
  });
}

describe('ConfigStore', () => {
  it('creates the commented default config on first run with owner-only permissions', async () => {
    const file = await tempFile();
    const store = await ConfigStore.open(file);
    expect(store.current.port).toBe(8317);
    expect(await readFile(file, 'utf8')).toContain('# Switchyard configuration');
  });

  it('applies a saved edit within a second and ignores a rewrite with the same bytes', async () => {
    const file = await tempFile('port: 8317\n');
    const store = await ConfigStore.open(file);
    store.watch();
    try {
      const changed = nextEvent(store, 'change');
      const t0 = Date.now();
      await writeFile(file, 'port: 9000\n');
      await changed;
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(store.current.port).toBe(9000);
      expect(await store.reload()).toBe(false);
    } finally {
      store.close();
    }
  });

  it('keeps serving the last good config when an edit is invalid, and reports why', async () => {
    const file = await tempFile('port: 8317\n');
    const store = await ConfigStore.open(file);
    store.watch();
    try {
      const invalid = nextEvent<ConfigError>(store, 'invalid');
      await writeFile(file, 'port: "eighty"\n');
      const err = await invalid;
      expect(err.message).toContain('port');
      expect(store.current.port).toBe(8317);
      expect(store.error).toBe(err);
      expect(await readFile(file, 'utf8')).toBe('port: "eighty"\n'); // left in place for the user to fix
    } finally {
      store.close();
    }
  });

  it('sees editors that save by writing a temp file and renaming it over the config', async () => {
    const file = await tempFile('port: 8317\n');
    const store = await ConfigStore.open(file);
    store.watch();
    try {
      const changed = nextEvent(store, 'change');
      const tmp = `${file}.swp`;
      await writeFile(tmp, 'port: 8400\n');
      await rename(tmp, file);
      await changed;
      expect(store.current.port).toBe(8400);
    } finally {
      store.close();
    }
  });

  it('update() keeps comments and writes atomically', async () => {
    const file = await tempFile('# my note\nport: 8317 # inline\n');
    const store = await ConfigStore.open(file);
    await store.update((doc) => doc.setIn(['routing', 'strategy'], 'fill-first'));
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# my note');
    expect(text).toContain('# inline');
    expect(store.current.routing.strategy).toBe('fill-first');
  });
});
