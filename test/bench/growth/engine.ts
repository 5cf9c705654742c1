// Start the shared bench's mock upstream and the built engine (dist/cli/cli.js, as `serve` runs),
// for the growth benches. Both are child processes: the engine's RSS and CPU are its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './util';

export interface Child {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, onExit?: () => void): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`did not start: ${args.join(' ')}\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        child,
        url: m[1].startsWith('http') ? m[1] : `http://127.0.0.1:${m[1]}`,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
          onExit?.();
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => process.env.BENCH_DEBUG && process.stderr.write(d));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

const MOCK = process.env.BENCH_MOCK ?? path.resolve(root, '../../shared/bench/lib/mock-upstream.mjs');

/** The shared bench's mock upstream (OpenAI/Claude/Gemini wire formats); knobs as its MOCK_* env. */
export function startMock(knobs: Record<string, string | number> = {}): Promise<Child> {
  if (!existsSync(MOCK)) throw new Error(`the shared bench's mock is not at ${MOCK} (set BENCH_MOCK)`);
  const env = Object.fromEntries(Object.entries(knobs).map(([k, v]) => [`MOCK_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, String(v)]));
  return start([MOCK, '--port', '0'], env, /MOCK_LISTENING (\d+)/);
}

/** The engine from the built files with `configYaml` (host/port are set here); extra node flags in `nodeArgs`. */
export function startEngine(configYaml: string, nodeArgs: string[] = []): Promise<Child> {
  const cli = path.resolve(root, process.env.BENCH_CLI ?? 'dist/cli/cli.js');
  if (!existsSync(cli)) throw new Error('build first: node scripts/build.mjs');
  const home = mkdtempSync(path.join(os.tmpdir(), 'sy-growth-'));
  writeFileSync(path.join(home, 'config.yaml'), `host: 127.0.0.1\nport: 0\n${configYaml}`);
  return start(
    [...nodeArgs, cli, 'serve', '--config', path.join(home, 'config.yaml')],
    { SWITCHYARD_HOME: home },
    /listening on (http:\/\/\S+)/,
    () => rmSync(home, { recursive: true, force: true }),
  );
}

/** The config block of `n` OpenAI-compatible key entries on one provider pointing at the mock. */
export function openaiCompat(mockUrl: string, keys = 1): string {
  const entries = Array.from({ length: keys }, (_, i) => `{ api-key: sk-mock-${i} }`).join(', ');
  return `api-keys: ["bench-key"]\nrequest-retry: 0\nopenai-compatibility:\n  - name: mock\n    base-url: ${mockUrl}/v1\n    api-key-entries: [${entries}]\n    models: [{ name: gpt-4o-mini, alias: gpt-4o-mini }]\n`;
}
