import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateBuiltCli } from './built-copy';

/**
 * The built launcher (dist/cli/cli.js) sizes V8's heap for a long-running `serve`: the young
 * generation stays at its minimum through start-up and is capped while serving (V8's default lets
 * it grow to 2 × 16 MB), and the code cache it writes once started is one the next start accepts.
 * Runs against a private copy of dist/cli so its code caches are its own.
 */
let dir: string;
let home: string;
const preload = (d: string) => path.join(d, 'young-probe.cjs');

// In the server's process: the young generation's size when `serve` says it listens, and after
// churning objects that survive scavenges (what makes V8 grow it) across many event-loop turns,
// as requests would, so the launcher's GC observer can steer in between.
const PROBE = `
const v8 = require('node:v8');
const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20;
process.once('switchyard:listening', () => {
  const atStart = young();
  let keep = [];
  let rounds = 0;
  // YOUNG_PROBE_WORKER: halfway, once the cap is reached, a worker thread starts (its isolate sets
  // V8's growth factor back to 2) and the churn goes on.
  const worker = process.env.YOUNG_PROBE_WORKER;
  let atOnline = '';
  const churn = () => {
    for (let i = 0; i < 4000; i++) keep.push({ i, s: 'x' + i });
    if (keep.length > 60000) keep = [];
    if (worker && rounds === 300) {
      const w = new (require('node:worker_threads').Worker)('setTimeout(() => {}, 60000)', { eval: true });
      w.unref();
      // Listeners run in order: the launcher's (added when the worker was made) has run by now.
      return void w.once('online', () => ((atOnline = ' ' + young()), (rounds += 1), setImmediate(churn)));
    }
    if (++rounds < (worker ? 600 : 300)) return void setImmediate(churn);
    process.stderr.write('YOUNG ' + atStart + ' ' + young() + atOnline + '\\n');
  };
  setImmediate(churn);
});
`;

beforeAll(async () => {
  dir = await privateBuiltCli('sy-heap-');
  await writeFile(preload(dir), PROBE);
  home = await mkdtemp(path.join(os.tmpdir(), 'sy-heap-home-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** `serve` until it has printed its start-up lines (and `until` saw what it waits for), then SIGTERM. */
async function serve(nodeArgs: string[], until: (stderr: string) => boolean = () => true, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(dir, 'dist/cli/cli.js'), 'serve', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, SWITCHYARD_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      // The last start-up line is `accounts:` or `next:`.
      if (/\n {2}(accounts|next):/.test(stdout) && until(stderr)) resolve();
    };
    child.stdout!.on('data', (d: Buffer) => ((stdout += d.toString()), check()));
    child.stderr!.on('data', (d: Buffer) => ((stderr += d.toString()), check()));
    void exited.then(() => reject(new Error(`serve exited early: ${stdout} ${stderr}`)));
  });
  child.kill('SIGTERM');
  await exited;
  return { stdout, stderr };
}

describe('the launcher’s heap sizing for serve', () => {
  it('keeps the young generation minimal through start-up and at most 8 MB while serving', async () => {
    const { stderr } = await serve(['--require', preload(dir)], (e) => /YOUNG /.test(e));
    const [atStart, afterChurn] = /YOUNG (\S+) (\S+)/.exec(stderr)!.slice(1).map(Number);
    expect(atStart).toBeLessThanOrEqual(2);
    expect(afterChurn).toBeGreaterThan(atStart); // it does grow under load…
    expect(afterChurn).toBeLessThanOrEqual(8); // …up to the cap
  }, 60_000);

  it('keeps the cap when a worker thread starts (its isolate sets V8\'s growth factor back to 2)', async () => {
    const { stderr } = await serve(['--require', preload(dir)], (e) => /YOUNG /.test(e), { YOUNG_PROBE_WORKER: '1' });
    const [afterChurn, atOnline] = /YOUNG \S+ (\S+) (\S+)/.exec(stderr)!.slice(1).map(Number);
    // From the moment the launcher hears the worker is online, the young generation grows no
    // more (without the launcher setting the cap again: to V8's 2 x 16 MB). Before that moment a
    // scavenge on a loaded machine may already have grown it one step past the cap.
    expect(afterChurn).toBeLessThanOrEqual(Math.max(8, atOnline));
  }, 60_000);

  it('a user’s own young-generation flag wins', async () => {
    const { stderr } = await serve(['--semi-space-growth-factor=2', '--require', preload(dir)], (e) => /YOUNG /.test(e));
    const afterChurn = Number(/YOUNG \S+ (\S+)/.exec(stderr)![1]);
    expect(afterChurn).toBeGreaterThan(8);
  }, 60_000);

  it('writes a code cache once started, and the next start uses it instead of writing another', async () => {
    const caches = async () => (await readdir(path.join(dir, 'dist/cli'))).filter((f) => f.endsWith('.cache'));
    for (const f of await caches()) await rm(path.join(dir, 'dist/cli', f));
    await serve([]);
    const [cache] = await caches();
    expect(cache).toBeDefined();
    const first = await stat(path.join(dir, 'dist/cli', cache));
    await serve([]);
    const second = await stat(path.join(dir, 'dist/cli', cache));
    // A rejected cache (flags that differ from the compile's) would be written again after the start.
    expect([second.ino, second.mtimeMs]).toEqual([first.ino, first.mtimeMs]);
  }, 60_000);
});
