// `npm run bench`: Switchyard vs direct, same fake upstream, same run. Prints ratios; never asserts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Agent, request } from 'undici';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);

function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, runner: string[] = [tsx]): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...runner, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (process.env.BENCH_DEBUG) process.stderr.write(d);
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
}

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

const chatBody = (stream: boolean, model: string) => JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Say hello.' }] });
const claudeBody = (model: string) => JSON.stringify({ model, stream: true, max_tokens: 256, messages: [{ role: 'user', content: 'Say hello.' }] });

async function cannon(url: string, body: string, connections: number, headers: Record<string, string> = {}): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const r = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: DURATION,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Sequential requests at c=1: p50 of total latency and of time to first body byte (ms). */
async function sequential(url: string, body: string, n: number, headers: Record<string, string> = {}): Promise<{ p50: number; ttfb50: number }> {
  const agent = new Agent({ connections: 1 });
  const total: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, dispatcher: agent });
    let seen = false;
    for await (const _chunk of res.body) {
      if (!seen) {
        first.push(performance.now() - t0);
        seen = true;
      }
    }
    total.push(performance.now() - t0);
  }
  await agent.close();
  const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { p50: med(total.slice(n / 10)), ttfb50: med(first.slice(n / 10)) };
}

async function main() {
  const upstream = await startChild(['test/bench/upstream-server.ts'], {}, /READY (\d+)/);
  const upstreamUrl = `http://127.0.0.1:${upstream.match[1]}`;
  const home = await mkdtemp(path.join(os.tmpdir(), 'sy-bench-'));
  const config = path.join(home, 'config.yaml');
  await writeFile(
    config,
    [
      'usage-sqlite:',
      '  enable: true',
      'openai-compatibility:',
      '  - name: bench',
      `    base-url: ${upstreamUrl}/v1`,
      '    api-key: sk-bench',
      '    models:',
      '      - name: bench-model',
      '        alias: bench-model',
    ].join('\n'),
  );
  // The bundled CLI (npm run build) when present, as a packaged install runs it; else the sources via tsx.
  const bundled = path.join(root, 'dist/cli/cli.js');
  const useBundle = existsSync(bundled) && process.env.BENCH_SOURCES !== '1';
  const engine = await startChild(
    useBundle ? [bundled, 'serve', '--config', config, '--port', '0'] : ['src-main/cli.ts', 'serve', '--config', config, '--port', '0'],
    { SWITCHYARD_HOME: home },
    /listening on (http:\/\/[^\s]+)/,
    useBundle ? [] : [tsx],
  );
  process.stdout.write(`engine: ${useBundle ? 'dist/cli/cli.js (bundle)' : 'src-main/cli.ts via tsx'}\n`);
  const proxyUrl = engine.match[1];
  const rows: string[] = [];
  const line = (s: string) => {
    rows.push(s);
    process.stdout.write(`${s}\n`);
  };
  try {
    // Warm both paths (JIT, pools).
    await cannon(`${upstreamUrl}/v1/chat/completions`, chatBody(false, 'bench-model'), 16);
    await cannon(`${proxyUrl}/v1/chat/completions`, chatBody(false, 'bench-model'), 16);

    const seqDirect = await sequential(`${upstreamUrl}/v1/chat/completions`, chatBody(false, 'bench-model'), 400);
    const seqProxy = await sequential(`${proxyUrl}/v1/chat/completions`, chatBody(false, 'bench-model'), 400);
    line(`non-stream c=1: direct p50 ${seqDirect.p50.toFixed(3)} ms, proxy p50 ${seqProxy.p50.toFixed(3)} ms, added p50 ${(seqProxy.p50 - seqDirect.p50).toFixed(3)} ms`);

    for (const c of [1, 16, 64]) {
      const d = await cannon(`${upstreamUrl}/v1/chat/completions`, chatBody(false, 'bench-model'), c);
      const p = await cannon(`${proxyUrl}/v1/chat/completions`, chatBody(false, 'bench-model'), c);
      line(`non-stream c=${c}: direct ${d.rps.toFixed(0)} req/s, proxy ${p.rps.toFixed(0)} req/s, ratio ${(p.rps / d.rps).toFixed(2)}x (proxy p50 ${p.p50} ms, p99 ${p.p99} ms, errors ${p.errors})`);
    }

    const sd = await cannon(`${upstreamUrl}/v1/chat/completions`, chatBody(true, 'bench-model'), 64);
    const sp = await cannon(`${proxyUrl}/v1/chat/completions`, chatBody(true, 'bench-model'), 64);
    line(`stream passthrough c=64: direct ${sd.rps.toFixed(0)} req/s, proxy ${sp.rps.toFixed(0)} req/s, ratio ${(sp.rps / sd.rps).toFixed(2)}x (errors ${sp.errors})`);
    const st = await sequential(`${upstreamUrl}/v1/chat/completions`, chatBody(true, 'bench-model'), 300);
    const stp = await sequential(`${proxyUrl}/v1/chat/completions`, chatBody(true, 'bench-model'), 300);
    line(`stream passthrough c=1: direct TTFB ${st.ttfb50.toFixed(3)} ms / total ${st.p50.toFixed(3)} ms, proxy TTFB ${stp.ttfb50.toFixed(3)} ms / total ${stp.p50.toFixed(3)} ms, added TTFT ${(stp.ttfb50 - st.ttfb50).toFixed(3)} ms`);

    const claudeHeaders = { 'anthropic-version': '2023-06-01' };
    const tp = await cannon(`${proxyUrl}/v1/messages`, claudeBody('bench-model'), 64, claudeHeaders);
    line(`stream translated (Claude client -> OpenAI-compatible upstream) c=64: proxy ${tp.rps.toFixed(0)} req/s, ratio to direct stream ${(tp.rps / sd.rps).toFixed(2)}x (errors ${tp.errors})`);
    const ttp = await sequential(`${proxyUrl}/v1/messages`, claudeBody('bench-model'), 300, claudeHeaders);
    line(`stream translated c=1: proxy TTFB ${ttp.ttfb50.toFixed(3)} ms / total ${ttp.p50.toFixed(3)} ms, added TTFT ${(ttp.ttfb50 - st.ttfb50).toFixed(3)} ms`);

    line(`engine peak RSS under load: ${(await peakRss(engine.child.pid!)).toFixed(0)} MB`);
  } finally {
    engine.child.kill('SIGTERM');
    upstream.child.kill('SIGTERM');
    await rm(home, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
