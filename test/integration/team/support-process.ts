import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, '../../../dist/cli/cli.js');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * `switchyard serve` exactly as shipped (the built bundle, as `npm run serve` runs it) in its own
 * process and data directory, on a free loopback port.
 */
export async function serveProcess(configYaml: string, env: Record<string, string>): Promise<ServerProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm test builds it (node scripts/build.mjs)`);
  const home = await mkdtemp(path.join(os.tmpdir(), 'sy-proc-'));
  const config = path.join(home, 'config.yaml');
  await writeFile(config, configYaml);
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config, '--port', '0'], {
    env: { ...process.env, ...env, SWITCHYARD_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /Switchyard listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}
