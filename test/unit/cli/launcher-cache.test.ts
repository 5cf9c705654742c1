import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { privateBuiltCli } from './built-copy';
import { root } from './production-view';

/**
 * The built launcher (dist/cli/cli.js) runs the bundle through a V8 code cache that a started
 * `serve` writes next to it. V8 itself checks only the source's length, so a cache made for one
 * bundle and accepted for another of the same size would run the old bundle's code: the launcher
 * must refuse it however the new bundle got there. Runs against a private copy of dist/cli.
 */
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
let dir: string;
let home: string;
const cli = () => path.join(dir, 'dist/cli');
const bundle = () => path.join(cli(), 'switchyard.cjs');

beforeAll(async () => {
  dir = await privateBuiltCli('sy-cache-');
  home = await mkdtemp(path.join(os.tmpdir(), 'sy-cache-home-'));
}, 60_000);
// Each test starts from the bundle as built, with no cache.
beforeEach(async () => {
  for (const f of await caches()) await rm(path.join(cli(), f));
  await cp(path.join(root, 'dist/cli/switchyard.cjs'), bundle());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

const caches = async () => (await readdir(cli())).filter((f) => f.endsWith('.cache'));

/** `serve` until it has printed its start-up lines, then SIGTERM: a started serve writes the cache. */
async function serveOnce(): Promise<void> {
  const child = spawn(process.execPath, [path.join(cli(), 'cli.js'), 'serve', '--port', '0'], { cwd: dir, env: { ...process.env, SWITCHYARD_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => ((out += d.toString()), /\n {2}(accounts|next):/.test(out) && resolve()));
    void exited.then(() => reject(new Error(`serve exited early: ${out}`)));
  });
  child.kill('SIGTERM');
  await exited;
}

/** Give `to` the access and modification times of `from`, to the nanosecond (utimes takes less). */
function keepTimes(from: string, to: string): void {
  const r = spawnSync('touch', ['-r', from, to], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

const version = () => spawnSync(process.execPath, [path.join(cli(), 'cli.js'), '--version'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SWITCHYARD_HOME: home } }).stdout;

/** The same bundle with another version of the same length baked in ("0.1.0" → "1.2.1"). */
async function sameSizeOtherVersion(): Promise<{ text: string; other: string }> {
  const other = pkg.version.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
  const text = (await readFile(bundle(), 'latin1')).replaceAll(JSON.stringify(pkg.version), JSON.stringify(other));
  return { text, other };
}

describe('the launcher’s code cache', () => {
  it('is refused for a same-size bundle written in place with the old modification time', async () => {
    await serveOnce();
    expect(await caches()).toHaveLength(1);
    expect(version()).toBe(`switchyard ${pkg.version}\n`);
    const before = await stat(bundle(), { bigint: true });
    const { text, other } = await sameSizeOtherVersion();
    const ref = path.join(dir, 'times');
    await writeFile(ref, '');
    keepTimes(bundle(), ref);
    await writeFile(bundle(), text, 'latin1');
    keepTimes(ref, bundle());
    const after = await stat(bundle(), { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
    expect(version()).toBe(`switchyard ${other}\n`);
  }, 60_000);

  it('is refused for a same-size bundle renamed into place with the old modification time (an install, cp -a)', async () => {
    await serveOnce();
    const before = await stat(bundle(), { bigint: true });
    const { text, other } = await sameSizeOtherVersion();
    const tmp = `${bundle()}.tmp`;
    await writeFile(tmp, text, 'latin1');
    keepTimes(bundle(), tmp);
    await rename(tmp, bundle());
    const after = await stat(bundle(), { bigint: true });
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    expect(version()).toBe(`switchyard ${other}\n`);
  }, 60_000);

  it('removes the caches of earlier bundles when it writes one, and keeps this bundle’s caches of other flag sets', async () => {
    await serveOnce();
    const [made] = await caches();
    // This bundle's cache as another flag set would have it, and a cache of an earlier build.
    await cp(path.join(cli(), made), path.join(cli(), 'switchyard.cjs.0000abcd.cache'));
    const earlier = (await readFile(path.join(cli(), made))).toString('latin1').replace(/^switchyard-code-cache 2 \S+/, 'switchyard-code-cache 2 1:2:3:4:5');
    await writeFile(path.join(cli(), 'switchyard.cjs.0000dead.cache'), earlier, 'latin1');
    await rm(path.join(cli(), made));
    await serveOnce();
    expect((await caches()).sort()).toEqual([made, 'switchyard.cjs.0000abcd.cache'].sort());
  }, 60_000);
});
