#!/usr/bin/env node
// Soak test (issue 12): `node scripts/soak.mjs [--minutes 30] [--concurrency 64]`. Not part of
// `npm test`. Builds the headless CLI, runs it as its own process against a fake upstream (a
// second process) on 127.0.0.1, and keeps `--concurrency` streams in flight for `--minutes`
// through four routes: passthrough and translated, OpenAI and Claude clients. Every response is
// checked (status, content, terminator). Reports errors, the proxy's RSS drift and its open fd
// count (from /proc, Linux) once a minute and at the end; exits 1 when a target is missed
// (errors > 0, RSS drift ≥ 10 % after warm-up, fds not flat). `--proxy-heap-mb 80` caps the
// proxy's heap, so V8's lazy heap growth is not mistaken for a leak (a real leak then OOMs).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildCli } from './build.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '64' },
    'warmup-seconds': { type: 'string', default: '30' },
    'sample-seconds': { type: 'string', default: '15' },
    // Cap the proxy's V8 old space: a leak then ends in an OOM instead of hiding in lazy heap growth.
    'proxy-heap-mb': { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const concurrency = Number(values.concurrency);
const warmupMs = Number(values['warmup-seconds']) * 1000;
const sampleMs = Number(values['sample-seconds']) * 1000;
if (!(minutes > 0) || !(concurrency > 0)) {
  console.error('usage: node scripts/soak.mjs [--minutes N] [--concurrency N] [--warmup-seconds N]');
  process.exit(2);
}

// ---- fake upstream (own process): OpenAI Chat and Anthropic Messages, streaming ----
const UPSTREAM = `
import http from 'node:http';
const CHUNKS = 30;
const chat = (delta, finish = null, usage) => 'data: ' + JSON.stringify({ id: 'chatcmpl-soak', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) }) + '\\n\\n';
const ev = (name, data) => 'event: ' + name + '\\ndata: ' + JSON.stringify(data) + '\\n\\n';
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString() || '{}');
    const claude = req.url.endsWith('/messages');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const out = [];
    if (claude) {
      out.push(ev('message_start', { type: 'message_start', message: { id: 'msg_soak', type: 'message', role: 'assistant', model: 'c', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 0 } } }));
      out.push(ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
      for (let i = 0; i < CHUNKS; i++) out.push(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'tok' + i + ' ' } }));
      out.push(ev('content_block_stop', { type: 'content_block_stop', index: 0 }) + ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: CHUNKS } }) + ev('message_stop', { type: 'message_stop' }));
    } else {
      out.push(chat({ role: 'assistant', content: '' }));
      for (let i = 0; i < CHUNKS; i++) out.push(chat({ content: 'tok' + i + ' ' }));
      const usage = { id: 'chatcmpl-soak', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 12, completion_tokens: CHUNKS, total_tokens: 12 + CHUNKS } };
      out.push(chat({}, 'stop') + 'data: ' + JSON.stringify(usage) + '\\n\\ndata: [DONE]\\n\\n');
    }
    if (body.stream !== true) {
      // Non-stream callers are not used by the soak; answer a short error so a mistake shows.
      res.end();
      return;
    }
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      if (i < out.length) {
        res.write(out[i++]);
        setTimeout(next, 5);
      } else res.end();
    };
    next();
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('READY ' + server.address().port + '\\n'));
`;

function startChild(cmd, args, env, ready) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c) => {
      out += c;
      const m = ready.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ child, match: m, stderr: () => stderr });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code} before it was ready:\n${stderr}`)));
  });
}

/** RSS (kB) and open fds of a process, from /proc (Linux); undefined elsewhere. */
function procStats(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    return { rssMb: rssKb / 1024, fds };
  } catch {
    return undefined;
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-soak-'));
const children = [];
const cleanup = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  const cli = await buildCli();
  const up = await startChild(process.execPath, ['--input-type=module', '-e', UPSTREAM], {}, /READY (\d+)/);
  children.push(up.child);
  const upstream = `http://127.0.0.1:${up.match[1]}`;
  const configFile = path.join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    `host: 127.0.0.1
port: 0
usage-sqlite:
  enable: true
request-retry: 0
openai-compatibility:
  - name: soak-openai
    base-url: ${upstream}/v1
    api-key: sk-soak-openai
    models:
      - name: m
claude-api-key:
  - api-key: sk-soak-claude
    base-url: ${upstream}
    models:
      - name: c
`,
  );
  const heap = values['proxy-heap-mb'] ? [`--max-old-space-size=${Number(values['proxy-heap-mb'])}`] : [];
  const proxy = await startChild(process.execPath, [...heap, cli, 'serve', '--config', configFile, '--port', '0'], { SWITCHYARD_HOME: dir }, /listening on http:\/\/[^:]+:(\d+)/);
  children.push(proxy.child);
  const base = `http://127.0.0.1:${proxy.match[1]}`;
  const pid = proxy.child.pid;

  const messages = [{ role: 'user', content: 'soak' }];
  const routes = [
    { name: 'openai→openai (passthrough)', path: '/v1/chat/completions', body: { model: 'm', stream: true, messages }, done: (t) => t.includes('data: [DONE]') },
    { name: 'claude→claude (passthrough)', path: '/v1/messages', body: { model: 'c', max_tokens: 64, stream: true, messages }, done: (t) => t.includes('message_stop') },
    { name: 'claude→openai (translated)', path: '/v1/messages', body: { model: 'm', max_tokens: 64, stream: true, messages }, done: (t) => t.includes('message_stop') },
    { name: 'openai→claude (translated)', path: '/v1/chat/completions', body: { model: 'c', stream: true, messages }, done: (t) => t.includes('data: [DONE]') },
  ];
  const stats = new Map(routes.map((r) => [r.name, { ok: 0, errors: 0 }]));
  const errorSamples = [];

  const one = async (route) => {
    try {
      const res = await fetch(base + route.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(route.body),
      });
      const text = await res.text();
      const good = res.status === 200 && text.includes('tok29') && route.done(text) && !/"error"/.test(text);
      if (good) stats.get(route.name).ok++;
      else {
        stats.get(route.name).errors++;
        if (errorSamples.length < 10) errorSamples.push(`${route.name}: ${res.status} ${text.slice(0, 300)}`);
      }
    } catch (err) {
      stats.get(route.name).errors++;
      if (errorSamples.length < 10) errorSamples.push(`${route.name}: ${err.message}`);
    }
  };

  const started = Date.now();
  const endAt = started + minutes * 60_000;
  const samples = [];
  const sample = (label) => {
    const s = procStats(pid);
    const ok = [...stats.values()].reduce((n, v) => n + v.ok, 0);
    const errors = [...stats.values()].reduce((n, v) => n + v.errors, 0);
    const row = { t: Math.round((Date.now() - started) / 1000), ok, errors, rssMb: s ? Math.round(s.rssMb * 10) / 10 : undefined, fds: s?.fds };
    samples.push(row);
    console.log(`[soak ${label}] t=${row.t}s served=${ok} errors=${errors} rss=${row.rssMb ?? '?'}MB fds=${row.fds ?? '?'}`);
  };
  sample('start');
  const timer = setInterval(() => sample('load'), sampleMs);
  let n = 0;
  const worker = async () => {
    while (Date.now() < endAt) await one(routes[n++ % routes.length]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(timer);
  // Let idle keep-alive sockets settle before the closing measurement.
  await new Promise((r) => setTimeout(r, 2_000));
  sample('end');

  // Under load, after warm-up: the first such sample is the baseline, the last load sample the end.
  const afterWarmup = samples.filter((s, i) => i > 0 && i < samples.length - 1 && s.t * 1000 >= warmupMs && s.rssMb !== undefined);
  const first = afterWarmup[0] ?? samples[0];
  const last = afterWarmup[afterWarmup.length - 1] ?? samples[samples.length - 1];
  const idle = samples[samples.length - 1];
  const rssValues = samples.map((s) => s.rssMb).filter((v) => v !== undefined);
  const fdValues = samples.map((s) => s.fds).filter((v) => v !== undefined);
  const drift = first.rssMb && last.rssMb ? ((last.rssMb - first.rssMb) / first.rssMb) * 100 : undefined;
  const totalErrors = [...stats.values()].reduce((a, v) => a + v.errors, 0);
  const totalOk = [...stats.values()].reduce((a, v) => a + v.ok, 0);
  console.log('\n=== soak summary ===');
  console.log(`duration ${minutes} min, ${concurrency} concurrent streams, ${totalOk} served, ${totalErrors} errors (${(totalOk / (minutes * 60)).toFixed(1)} req/s)`);
  for (const [name, s] of stats) console.log(`  ${name}: ${s.ok} ok, ${s.errors} errors`);
  console.log(`proxy RSS: idle start ${samples[0].rssMb} MB, under load after warm-up ${first.rssMb} MB → last ${last.rssMb} MB (drift ${drift === undefined ? '?' : drift.toFixed(1)} %), max ${Math.max(...rssValues)} MB, idle end ${idle.rssMb} MB`);
  console.log(`proxy fds: idle start ${samples[0].fds}, under load ${first.fds} → ${last.fds} (min ${Math.min(...fdValues)}, max ${Math.max(...fdValues)}), idle end ${idle.fds}`);
  if (errorSamples.length) console.log(`first errors:\n  ${errorSamples.join('\n  ')}`);
  const fdsFlat = last.fds === undefined || first.fds === undefined || last.fds <= first.fds + 8;
  const pass = totalErrors === 0 && (drift === undefined || drift < 10) && fdsFlat;
  console.log(pass ? 'PASS (0 errors, RSS drift < 10 %, fds flat)' : 'FAIL');
  cleanup();
  process.exit(pass ? 0 : 1);
} catch (err) {
  console.error(err);
  cleanup();
  process.exit(1);
}
