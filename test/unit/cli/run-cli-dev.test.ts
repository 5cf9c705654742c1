import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './production-view';

/** Pids whose parent is `pid` (Linux /proc; the parent pid is the field after the state). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === pid) out.push(Number(entry));
  }
  return out;
}

let home: string | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  if (home) await rm(home, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('npm run serve in a development checkout', () => {
  it('rebuilds the bundle, then serves in one process: no build-tool process stays alive beside the server', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'sy-run-cli-dev-'));
    const proc = spawn(process.execPath, ['scripts/run-cli.mjs', 'serve', '--port', '0'], { cwd: root, env: { ...process.env, SWITCHYARD_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let out = '';
    let err = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', () => /next:/.test(out) && resolve());
      proc.on('exit', () => reject(new Error(`serve exited: ${out} ${err}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    // esbuild's service child (~50 MB) would otherwise live as long as the server.
    expect(childrenOf(proc.pid!)).toEqual([]);
  }, 90_000);
});
