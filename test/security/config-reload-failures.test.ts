import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigStore } from '../../src-main/engine/config/store';
import { ConfigError, listenIssue } from '../../src-main/engine/config/load';
import { createRuntime } from '../../src-main/engine/runtime';
import { silentLogger } from '../../src-main/engine/log/logger';

/**
 * D4 and its class: a hot reload that fails, whatever the reason, keeps the last good config
 * serving (README: "an invalid edit is reported and ignored"), reports why, and never throws out
 * of the file watcher's timer (which would end the process).
 */
const GOOD = ['host: 127.0.0.1', 'port: 8317', 'api-keys: [sk-client-1]', 'request-retry: 2', ''].join('\n');

// "Billion laughs": each level multiplies the aliases; the yaml library refuses past its limit
// with a ReferenceError ("Excessive alias count"), not a YAMLParseError.
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  '',
].join('\n');

const dirs: string[] = [];
async function openStore(text = GOOD): Promise<{ store: ConfigStore; file: string; dir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-reload-'));
  dirs.push(dir);
  const file = path.join(dir, 'config.yaml');
  await writeFile(file, text);
  return { store: await ConfigStore.open(file), file, dir };
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

type Failure = { kind: string; reason: RegExp; make: (file: string) => Promise<void>; guardHost?: string };

const FAILURES: Failure[] = [
  { kind: 'YAML syntax error', reason: /YAML syntax/, make: (f) => writeFile(f, 'port: [8317\napi-keys: {\n') },
  { kind: 'alias bomb (Excessive alias count)', reason: /alias/i, make: (f) => writeFile(f, ALIAS_BOMB) },
  { kind: 'schema error', reason: /port/, make: (f) => writeFile(f, 'port: not-a-port\napi-keys: [sk-client-1]\n') },
  { kind: 'empty file', reason: /empty/, make: (f) => writeFile(f, '') },
  { kind: 'whitespace and comments only', reason: /empty/, make: (f) => writeFile(f, '\n# all gone\n   \n') },
  { kind: 'file removed', reason: /removed/, make: (f) => rm(f) },
  // A directory where the file was: reading fails with EISDIR (works as root, unlike chmod 000).
  { kind: 'file unreadable', reason: /cannot read/, make: async (f) => (await rm(f), mkdir(f)) },
  { kind: 'non-loopback host without keys', reason: /not a loopback address/, make: (f) => writeFile(f, 'host: 0.0.0.0\napi-keys: []\n') },
  {
    kind: 'loopback host without keys while bound to 0.0.0.0',
    reason: /listening on 0\.0\.0\.0/,
    guardHost: '0.0.0.0',
    make: (f) => writeFile(f, 'host: 127.0.0.1\napi-keys: []\n'),
  },
  { kind: 'empty file while bound to 0.0.0.0', reason: /empty/, guardHost: '0.0.0.0', make: (f) => writeFile(f, '') },
  { kind: 'comment-only file while bound to ::', reason: /empty/, guardHost: '::', make: (f) => writeFile(f, '# defaults\n') },
  { kind: '{} (all defaults) while bound to ::', reason: /listening on ::/, guardHost: '::', make: (f) => writeFile(f, '{}\n') },
];

describe('every kind of reload failure keeps the last good config', () => {
  for (const f of FAILURES) {
    it(`${f.kind}: reload() resolves false, config unchanged, error reported`, async () => {
      const { store, file } = await openStore();
      if (f.guardHost) store.addGuard((next) => listenIssue(f.guardHost, next));
      const reported: ConfigError[] = [];
      const changed: unknown[] = [];
      store.on('invalid', (e) => reported.push(e));
      store.on('change', (c) => changed.push(c));
      await f.make(file);
      await expect(store.reload()).resolves.toBe(false);
      expect(store.current['api-keys']).toEqual(['sk-client-1']);
      expect(store.current['request-retry']).toBe(2);
      expect(changed).toEqual([]);
      expect(reported).toHaveLength(1);
      expect(reported[0]).toBeInstanceOf(ConfigError);
      expect(reported[0].message).toMatch(f.reason);
      expect(reported[0].message).toContain(file);
      expect(store.error?.message).toBe(reported[0].message);
    });
  }

  it('a good edit after a failure applies and clears the reported error', async () => {
    const { store, file } = await openStore();
    await writeFile(file, ALIAS_BOMB);
    await store.reload();
    expect(store.error).toBeDefined();
    await writeFile(file, GOOD.replace('request-retry: 2', 'request-retry: 5'));
    await expect(store.reload()).resolves.toBe(true);
    expect(store.current['request-retry']).toBe(5);
    expect(store.error).toBeUndefined();
  });

  it('a removed file that comes back with the serving bytes clears the error (editor delete-and-rewrite)', async () => {
    const { store, file } = await openStore();
    await rm(file);
    await store.reload();
    expect(store.error?.message).toMatch(/removed/);
    await writeFile(file, GOOD);
    await expect(store.reload()).resolves.toBe(false);
    expect(store.error).toBeUndefined();
  });

  it('through the file watcher: an alias bomb saved by an editor is reported, the process lives on', async () => {
    const { store, file } = await openStore();
    const invalid = new Promise<ConfigError>((resolve) => store.once('invalid', resolve));
    store.watch();
    try {
      await writeFile(file, ALIAS_BOMB);
      const err = await invalid;
      expect(err.message).toMatch(/alias/i);
      expect(store.current['api-keys']).toEqual(['sk-client-1']);
    } finally {
      store.close();
    }
  });

  it('saving through the store refuses the same documents (alias bomb, empty) and leaves the file as it was', async () => {
    const { store, file } = await openStore();
    for (const text of [ALIAS_BOMB, '', '   \n', '# nothing\n']) {
      await expect(store.saveText(text)).rejects.toBeInstanceOf(ConfigError);
      expect(await readFile(file, 'utf8')).toBe(GOOD);
    }
  });
});

describe('stale temp files of interrupted writes (D22)', () => {
  it('are removed at start; a live writer’s fresh temp file is left alone; the config loads', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-stale-'));
    dirs.push(dir);
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, GOOD);
    // pid 2^22+1 is above Linux's pid_max default: no such process.
    const dead = `.config.yaml.4194305.0a1b2c3d.tmp`;
    const deadAuth = `.accounts.json.4194305.deadbeef.tmp`;
    const live = `.config.yaml.${process.pid}.00ff00ff.tmp`;
    for (const n of [dead, deadAuth, live]) await writeFile(path.join(dir, n), 'api-keys: [sk-secret-in-temp]\n');
    await writeFile(path.join(dir, '.keep.tmp'), 'not ours');
    const store = await ConfigStore.open(file);
    expect(store.current['api-keys']).toEqual(['sk-client-1']);
    let left = await readdir(dir);
    expect(left).not.toContain(dead);
    expect(left).toContain(live);
    expect(left).toContain('.keep.tmp');
    // The config's folder may be shared (--config elsewhere): other files' temps are the accounts' start to clean.
    expect(left).toContain(deadAuth);
    const runtime = createRuntime({ config: store, dataDir: dir, logger: silentLogger, mode: 'headless', version: 'test' });
    try {
      await runtime.engine.ready();
      left = await readdir(dir);
      expect(left).not.toContain(deadAuth);
    } finally {
      await runtime.close();
    }
  });
});

describe('a part of the engine that fails to take a new config', () => {
  it('does not stop the other listeners, is reported as a warning, and the reload still counts', async () => {
    const { store, file } = await openStore();
    const seen: number[] = [];
    const warnings: string[] = [];
    store.on('change', () => {
      throw new Error('listener exploded');
    });
    store.on('change', (next) => seen.push(next['request-retry']));
    store.on('warning', (w) => warnings.push(w));
    await writeFile(file, GOOD.replace('request-retry: 2', 'request-retry: 6'));
    await expect(store.reload()).resolves.toBe(true);
    expect(seen).toEqual([6]);
    expect(store.error).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/listener exploded/);
  });
});
