// Cold start of `switchyard serve` from the built files: spawn → the "listening" line, median of N
// runs, each with a fresh SWITCHYARD_HOME. Also the process's own CPU time up to that line (from
// /proc), which a loaded machine disturbs less than wall time. Variants run interleaved (A B A B …)
// so drift in the machine's load hits all alike.
//   tsx test/bench/growth/cold-start.ts [runs=10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuMs, median, root } from './util';

interface Variant {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

export async function startOnce(v: Variant): Promise<{ wall: number; cpu: number }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'sy-cold-'));
  const t0 = process.hrtime.bigint();
  const c = spawn(process.execPath, [...v.args, 'serve', '--port', '0'], { cwd: root, env: { ...process.env, ...v.env, SWITCHYARD_HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
  const r = await new Promise<{ wall: number; cpu: number }>((resolve, reject) => {
    let out = '';
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/listening on/.test(out)) resolve({ wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: cpuMs(c.pid!) });
    });
    c.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  c.kill('SIGKILL');
  await new Promise((res) => c.once('exit', res));
  rmSync(home, { recursive: true, force: true });
  return r;
}

export async function coldStart(variants: Variant[], runs: number): Promise<void> {
  const res = new Map(variants.map((v) => [v.name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let i = 0; i < runs; i++) {
    for (const v of variants) {
      const r = await startOnce(v);
      res.get(v.name)!.wall.push(r.wall);
      res.get(v.name)!.cpu.push(r.cpu);
    }
  }
  process.stdout.write(`cold start to "listening", ${runs} runs each, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  for (const [name, r] of res) {
    const sorted = [...r.wall].sort((a, b) => a - b);
    process.stdout.write(`  ${name.padEnd(34)} median ${median(r.wall).toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}), CPU ${median(r.cpu).toFixed(0)} ms\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 10);
  // BASELINE=path/to/an/older/cli.js adds that build as a variant (the before/after comparison).
  const baseline = process.env.BASELINE ? [{ name: `baseline ${path.relative(root, process.env.BASELINE)}`, args: [process.env.BASELINE] }] : [];
  await coldStart(
    [
      ...baseline,
      { name: 'bin/switchyard.js (code cache)', args: ['bin/switchyard.js'] },
      { name: 'bin/switchyard.js (no code cache)', args: ['bin/switchyard.js'], env: { SWITCHYARD_CODE_CACHE: 'off' } },
    ],
    runs,
  );
}
