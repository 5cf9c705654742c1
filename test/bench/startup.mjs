#!/usr/bin/env node
// Cold start of `serve` from the built files, as the shared bench starts it (`node scripts/run-cli.mjs
// serve`, fresh SWITCHYARD_HOME, api-keys + usage-sqlite + one key account per wire format): ms from
// spawn to the port accepting, to the first proxied request being answered (one authorised
// `POST /v1/chat/completions`, sent as soon as the port accepts) and to /healthz answering, the
// process's CPU ms by then, and its VmRSS / VmHWM after 2 s idle. Checkouts run interleaved (A, B, A, B…) so a busy machine hurts
// them alike; each one's first start is discarded (after a build it writes the code cache).
//   node test/bench/startup.mjs RUNS CHECKOUT [CHECKOUT…]      e.g. 5 ../main .
// NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" adds node flags (the code cache is per flag set).
// Upstreams point at a closed port unless MOCK_URL is set: start-up does not wait for them (the first
// request is then answered with the proxy's error; with the shared mock it is a real relay).
// IDLE_MS (default 2000): how long after /healthz the idle RSS is read.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2]);
const checkouts = process.argv.slice(3).map((c) => path.resolve(c));
if (!(runs > 0) || checkouts.length === 0) {
  process.stderr.write('usage: node test/bench/startup.mjs RUNS CHECKOUT [CHECKOUT…]\n');
  process.exit(2);
}
const MOCK = process.env.MOCK_URL ?? 'http://127.0.0.1:9';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const config = (port) => `host: 127.0.0.1
port: ${port}
api-keys: ["bench-key"]
request-retry: 0
usage-sqlite: { enable: true }
openai-compatibility:
  - name: mock
    base-url: ${MOCK}/v1
    api-key-entries: [{ api-key: sk-mock }]
    models: [{ name: gpt-4o-mini, alias: gpt-4o-mini }]
claude-api-key:
  - api-key: sk-ant-mock
    base-url: ${MOCK}
    models: [{ name: claude-sonnet-4-5, alias: claude-sonnet-4-5 }]
gemini-api-key:
  - api-key: g-mock
    base-url: ${MOCK}
    models: [{ name: gemini-2.5-flash, alias: gemini-2.5-flash }]
`;

const freePort = () => new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => r(port)); }); });
const accepts = (port) => new Promise((r) => { const s = net.connect(port, '127.0.0.1'); s.once('connect', () => (s.destroy(), r(true))); s.once('error', () => r(false)); });
const healthz = (port) => new Promise((r) => {
  const q = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (m) => m.resume().on('end', () => r(m.statusCode)));
  q.once('error', () => r(0));
});
/** The first request a client sends: resolves (ms since t0) when its whole answer has arrived. */
const firstRequest = (port, t0) => new Promise((r) => {
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const q = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', agent: false,
    headers: { authorization: 'Bearer bench-key', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
  (m) => m.resume().on('end', () => r({ ms: performance.now() - t0, status: m.statusCode })));
  q.once('error', () => r({ ms: NaN, status: 0 }));
  q.end(body);
});
/** utime + stime of the process, ms (clock ticks of 10 ms). */
const cpuMs = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const statusMb = (pid, key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function start(checkout) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-startup-'));
  const port = await freePort();
  writeFileSync(path.join(dir, 'config.yaml'), config(port));
  const nodeArgs = process.env.NODE_ARGS ? process.env.NODE_ARGS.split(' ') : [];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/run-cli.mjs', 'serve', '--config', path.join(dir, 'config.yaml'), '--port', String(port)], {
    cwd: checkout, env: { ...process.env, SWITCHYARD_HOME: path.join(dir, 'home') }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let open;
  let first;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${checkout}: serve exited: ${stderr}`);
    if (await accepts(port)) {
      if (open === undefined) {
        open = performance.now() - t0;
        first = firstRequest(port, t0);
      }
      if ((await healthz(port)) === 200) break;
    }
    await sleep(5);
  }
  const r = { open, healthz: performance.now() - t0 };
  const answered = await first;
  Object.assign(r, { first: answered.ms, firstStatus: answered.status, cpu: cpuMs(child.pid) });
  await sleep(Number(process.env.IDLE_MS ?? 2000));
  Object.assign(r, { rss: statusMb(child.pid, 'VmRSS'), hwm: statusMb(child.pid, 'VmHWM') });
  child.kill('SIGTERM');
  await new Promise((res) => child.once('exit', res));
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const line = (r) => `port open ${r.open.toFixed(0)} ms  first request ${r.first.toFixed(0)} ms${r.firstStatus ? ` (${r.firstStatus})` : ''}  healthz ${r.healthz.toFixed(0)} ms  cpu ${r.cpu} ms  idle RSS ${r.rss.toFixed(1)} MB  HWM ${r.hwm.toFixed(1)} MB`;
const all = new Map(checkouts.map((c) => [c, []]));
for (const c of checkouts) await start(c);
for (let i = 0; i < runs; i++) {
  for (const c of checkouts) {
    const r = await start(c);
    all.get(c).push(r);
    console.log(`${c}: ${line(r)}`);
  }
}
for (const [c, rs] of all) {
  const m = Object.fromEntries(['open', 'first', 'healthz', 'cpu', 'rss', 'hwm'].map((k) => [k, median(rs.map((r) => r[k]))]));
  console.log(`median of ${runs}, ${c}: ${line(m)}`);
}
