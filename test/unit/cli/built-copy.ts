import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { root } from './production-view';

/**
 * Build, then copy the built CLI (dist/cli, without code caches) into a new temp folder with the
 * checkout's node_modules linked: tests that start what ships get a private copy, so code caches
 * and data files they write are their own. Returns the folder (the copy is `<dir>/dist/cli`).
 */
export async function privateBuiltCli(prefix: string): Promise<string> {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await mkdir(path.join(dir, 'dist'));
  await cp(path.join(root, 'dist/cli'), path.join(dir, 'dist/cli'), { recursive: true, filter: (f) => !f.endsWith('.cache') });
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

export interface ServedCopy {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/** `serve --config FILE --port 0` from a private copy; resolves once it says where it listens. */
export async function serveBuiltCopy(dir: string, config: string, opts: { cwd?: string } = {}): Promise<ServedCopy> {
  const child = spawn(process.execPath, [path.join(dir, 'dist/cli/cli.js'), 'serve', '--config', config, '--port', '0'], {
    cwd: opts.cwd ?? dir,
    env: { ...process.env, SWITCHYARD_HOME: path.join(dir, 'home') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`serve exited: ${out}`)));
  });
  return { child, url, output: () => out };
}
