// `npx tsx test/bench/team.ts`: throughput of the team server — one instance on SQLite, one on
// PostgreSQL, two on one PostgreSQL (load split evenly) — against the bench upstream, c=64 in
// total. Prints a table; never asserts. Needs the built CLI (node scripts/build.mjs) and Debian's
// postgresql package (the same throwaway cluster the tests use).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startCluster } from '../fakes/postgres/cluster';

const root = path.resolve(import.meta.dirname, '../..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const KEY = 'f'.repeat(64);

function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`did not start: ${out}`)), 30_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

async function serve(config: string): Promise<{ url: string; stop(): Promise<void> }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'sy-bench-team-'));
  await writeFile(path.join(home, 'config.yaml'), config);
  const { child, match } = await start(['dist/cli/cli.js', 'serve', '--config', path.join(home, 'config.yaml'), '--port', '0'], { SWITCHYARD_HOME: home, SWITCHYARD_MASTER_KEY: KEY }, /listening on (http:\/\/\S+)/);
  return {
    url: match[1].replace(/\/$/, ''),
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await rm(home, { recursive: true, force: true });
    },
  };
}

const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'Say hello.' }] });
async function load(url: string, connections: number): Promise<{ rps: number; errors: number }> {
  const r = await autocannon({ url: `${url}/v1/chat/completions`, method: 'POST', connections, duration: DURATION, headers: { 'content-type': 'application/json' }, body });
  return { rps: r.requests.average, errors: r.errors + r.non2xx };
}

const upstream = await start([path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'test/bench/upstream-server.ts'], {}, /READY (\d+)/);
const base = `http://127.0.0.1:${upstream.match[1]}`;
const cluster = await startCluster();
const entries = `openai-compatibility:\n  - name: bench\n    base-url: ${base}/v1\n    api-key-entries: [{ api-key: k1 }, { api-key: k2 }]\n    models: [{ name: bench-model, alias: bench }]\n`;
const rows: string[] = [];
try {
  const direct = await load(base, 64);
  rows.push(`| direct to the mock | ${direct.rps.toFixed(0)} | 1.00 | ${direct.errors} |`);
  const sqlite = await serve(entries);
  const s = await load(sqlite.url, 64);
  await sqlite.stop();
  rows.push(`| one instance, SQLite | ${s.rps.toFixed(0)} | ${(s.rps / direct.rps).toFixed(2)} | ${s.errors} |`);
  const pgConfig = `store: { driver: postgres, url: "${cluster.url}" }\n${entries}`;
  const one = await serve(pgConfig);
  const p1 = await load(one.url, 64);
  rows.push(`| one instance, PostgreSQL | ${p1.rps.toFixed(0)} | ${(p1.rps / direct.rps).toFixed(2)} | ${p1.errors} |`);
  const two = await serve(pgConfig);
  const [a, b] = await Promise.all([load(one.url, 32), load(two.url, 32)]);
  rows.push(`| two instances, one PostgreSQL (sum) | ${(a.rps + b.rps).toFixed(0)} | ${((a.rps + b.rps) / direct.rps).toFixed(2)} | ${a.errors + b.errors} |`);
  await one.stop();
  await two.stop();
} finally {
  upstream.child.kill();
  cluster.destroy();
}
process.stdout.write(`\nnon-stream chat, c=64 in total, ${DURATION} s per point (2 cores shared by load, mock, proxies, database)\n\n| setup | req/s | × direct | errors |\n|---|---|---|---|\n${rows.join('\n')}\n`);
