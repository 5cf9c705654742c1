// Usage history growth: the Usage page's queries and the management /usage against usage.db with N rows,
// the file's size, the batch write per request, and retention's steps (each blocks the event loop).
//   tsx test/bench/growth/usage-history.ts [rows=10000,1000000]   (USAGE_BENCH_MIGRATION=0 skips the v2 upgrade,
//   USAGE_BENCH_RETENTION=0 the retention pass; 10M rows: USAGE_BENCH_MIGRATION=0 … 10000000, ~5 GB in the temp dir)
// Rows are spread over 90 days (5 models, 20 accounts on 3 providers, 4 client keys, ~3% failures)
// and written through UsageRecorder itself (20,000 rows per transaction), so the file is what the
// engine would have written: request ids of a UUID's length, the accounts tried, the upstream status.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { UsageRecorder } from '../../../src-main/engine/usage/recorder';
import type { UsageRecord } from '../../../src-main/engine/usage/record';
import { median } from './util';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
const MODELS = ['claude-sonnet-4-5', 'gpt-5', 'gemini-2.5-pro', 'gpt-4o-mini', 'claude-haiku-4-5'];
const PROVIDERS = ['claude', 'codex', 'gemini'];

/**
 * `ordered` ids (36 characters like a UUID, rising) let 10M rows be written in minutes; the engine's
 * random UUIDs land all over the id index, which is what `engineBatch` measures.
 */
function* records(n: number, ids: 'ordered' | 'random' = 'ordered'): Generator<UsageRecord> {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < n; i++) {
    const acct = Math.floor(rnd() * 20);
    const fail = rnd() < 0.03;
    const provider = PROVIDERS[acct % 3]!;
    yield {
      id: ids === 'random' ? randomUUID() : `${i.toString(16).padStart(12, '0')}-0000-4000-8000-000000000000`,
      time: NOW - 90 * DAY + Math.floor((i / n) * 90 * DAY),
      clientKeyLabel: `key-${Math.floor(rnd() * 4)}`,
      inboundFormat: 'openai-chat',
      provider,
      accountId: `acct-${acct}`,
      accountLabel: `user${acct}@example.com`,
      requestedModel: MODELS[Math.floor(rnd() * 5)],
      upstreamModel: MODELS[Math.floor(rnd() * 5)],
      inputTokens: Math.floor(rnd() * 50_000),
      outputTokens: Math.floor(rnd() * 2_000),
      reasoningTokens: Math.floor(rnd() * 500),
      cachedTokens: Math.floor(rnd() * 20_000),
      latencyMs: Math.floor(rnd() * 30_000),
      ttftMs: Math.floor(rnd() * 2_000),
      status: fail ? 429 : 200,
      errorClass: fail ? 'rate_limited' : undefined,
      stream: rnd() < 0.8,
      upstreamStatus: fail ? 429 : 200,
      ...(fail ? { upstreamMessage: 'Rate limit reached for requests' } : {}),
      tried: [{ accountId: `acct-${acct}`, accountLabel: `user${acct}@example.com`, provider, outcome: fail ? 'failed' : 'ok', reason: fail ? 'rate limited' : 'served', status: fail ? 429 : 200 }],
    };
  }
}

/** The largest -wal file seen (sampled after each batch and retention step): checkpoints keep it bounded. */
let walPath = '';
let walMax = 0;
const sampleWal = (): void => void (walMax = Math.max(walMax, statSync(walPath, { throwIfNoEntry: false })?.size ?? 0));

function fill(rec: UsageRecorder, n: number): number {
  const t0 = performance.now();
  let k = 0;
  for (const r of records(n)) {
    rec.record(r);
    if (++k % 20_000 === 0) {
      rec.flush();
      sampleWal();
    }
  }
  rec.flush();
  sampleWal();
  return performance.now() - t0;
}

/**
 * What the engine's timer pays per request to write its batch, with this much history on disk.
 * `random` ids are what the engine writes (UUIDv4, or the client's x-request-id); `ordered` ones
 * show what time-ordered ids (UUIDv7-like) would cost the unique id index instead.
 */
function engineBatch(rec: UsageRecorder, ids: 'random' | 'ordered' = 'random'): number {
  const gen = records(425 * 20, ids);
  const ts: number[] = [];
  for (let b = 0; b < 20; b++) {
    for (let i = 0; i < 425; i++) {
      const r = gen.next().value!;
      rec.record({ ...r, ...(ids === 'ordered' ? { id: `~${NOW + b * 1000 + i}-${r.id!.slice(0, 24)}` } : {}), time: NOW - 60_000 + b * 250 + i / 2 });
    }
    const t0 = performance.now();
    rec.flush();
    ts.push(((performance.now() - t0) * 1000) / 425);
  }
  return median(ts);
}

/** Median wall ms; also the median CPU ms of this process, steadier than wall time on a shared machine. */
function time(fn: () => unknown, runs = 5): [wall: number, cpu: number] {
  const ts: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1000);
  }
  return [median(ts), median(cs)];
}

export async function usageBench(n: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-usage-bench-'));
  const dbPath = path.join(dir, 'usage.db');
  walPath = `${dbPath}-wal`;
  walMax = 0;
  let rec = new UsageRecorder({ dbPath, now: () => NOW, onError: (err) => process.stderr.write(`usage error: ${(err as Error).message}\n`) });
  const fillMs = fill(rec, n);
  rec.close();
  const bytes = ['', '-wal'].reduce((a, s) => a + (statSync(dbPath + s, { throwIfNoEntry: false })?.size ?? 0), 0);
  // The upgrade from schema v2 (no rollup): what the first start after it costs with this history.
  const migrate = process.env.USAGE_BENCH_MIGRATION !== '0';
  if (migrate) {
    const v2 = new Database(dbPath);
    v2.exec('DROP TABLE usage_rollup');
    v2.pragma('user_version = 2');
    v2.close();
  }
  const t0 = performance.now();
  rec = new UsageRecorder({ dbPath, now: () => NOW, onError: (err) => process.stderr.write(`usage error: ${(err as Error).message}\n`) }); // reopening runs the migration (fills the rollup)
  const openMs = performance.now() - t0;
  const migration = migrate ? `migration from v2 (rollup filled) ${openMs.toFixed(0)} ms` : `reopened in ${openMs.toFixed(0)} ms`;
  process.stdout.write(`\n${n.toLocaleString('en')} rows: written in ${(fillMs / 1000).toFixed(1)} s (${((fillMs * 1000) / n).toFixed(1)} µs/row), usage.db ${(bytes / 1e6).toFixed(1)} MB = ${((bytes / n) * 1e6 / 1e6).toFixed(0)} MB per million requests, ${migration}\n`);
  process.stdout.write(`  engine batch write at this size (425 requests = 250 ms at 1,700 req/s, one transaction): ${engineBatch(rec).toFixed(1)} µs per request\n`);
  // The Usage page: 24 h by hour, 7 and 30 days by day, each with its totals, re-asked at most once
  // a second while traffic flows; 90 days by week is beyond the page (the API allows it).
  const views = [['24h', DAY, 'hour'], ['7d', 7 * DAY, 'day'], ['30d', 30 * DAY, 'day'], ['90d', 90 * DAY, 'week']] as const;
  const rows: Array<[string, [number, number]]> = [];
  for (const [name, span, bucket] of views) {
    const from = NOW - span + 12_345; // a range that starts and ends off any quarter hour, as Date.now() does
    rows.push([`totals ${name}`, time(() => rec.totals({ from, to: NOW + 1 }))]);
    rows.push([`cost estimate ${name} (account × model)`, time(() => rec.costBasis({ from, to: NOW + 1 }))]);
    for (const offset of [60, 330]) {
      for (const groupBy of ['model', 'account', 'provider', 'client'] as const) {
        rows.push([`series ${name} by ${bucket}, ${groupBy}, UTC+${offset / 60}`, time(() => rec.series({ from, to: NOW + 1, bucket, groupBy, utcOffsetMinutes: offset }))]);
      }
    }
  }
  rows.push(['recent 100', time(() => rec.recent(100))]);
  rows.push(['recent 100, provider', time(() => rec.recent(100, { provider: 'gemini' }))]);
  rows.push(['recent 100, account', time(() => rec.recent(100, { accountId: 'acct-7' }))]);
  rows.push(['recent 100, model', time(() => rec.recent(100, { model: 'gpt-5' }))]);
  rows.push(['recent 100, client key', time(() => rec.recent(100, { clientKeyLabel: 'key-2' }))]);
  rows.push(['recent 100, failures only', time(() => rec.recent(100, { onlyErrors: true }))]);
  rows.push(['recent 100, page back from 60 days ago', time(() => rec.recent(100, { before: NOW - 60 * DAY }))]);
  // Management API (CLIProxyAPI's shape): every request's detail, so it grows with the range's requests.
  // What GET /v0/management/usage does: flush, aggregate, and res.json's JSON.stringify.
  const managementUsage = (from: number) => () => JSON.stringify({ usage: rec.cliproxyAggregate({ from, to: NOW + 1 }) });
  rows.push(['management /usage, last hour (+ JSON)', time(managementUsage(NOW - 3_600_000), 5)]);
  if (n <= 1_000_000) rows.push(['management /usage, last 24 h (+ JSON)', time(managementUsage(NOW - DAY), 3)]);
  rows.push(['account counts, 5 h window', time(() => rec.accountCounts('acct-3', NOW - 5 * 3_600_000))]);
  for (const [name, [ms, cpu]] of rows) {
    process.stdout.write(`  ${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms (cpu ${cpu.toFixed(1).padStart(6)} ms)${ms > 100 ? '  > 100 ms' : ''}\n`);
  }
  // After the queries, so the last hour they read holds the same records as before this was measured.
  process.stdout.write(`  engine batch write with time-ordered request ids (appended to the id index): ${engineBatch(rec, 'ordered').toFixed(1)} µs per request\n`);
  const walMaxFill = walMax;
  walMax = 0;
  if (process.env.USAGE_BENCH_RETENTION !== '0') await retention(rec, n);
  const w = (rec as { wal?: { workerStats(): object | undefined; mainCheckpoints: number; workersStarted: number } }).wal;
  process.stdout.write(`  largest -wal file seen: ${(walMaxFill / 1e6).toFixed(1)} MB while written (batches of 20,000 rows) and migrated, ${(walMax / 1e6).toFixed(1)} MB during retention${w ? `; checkpoint workers started ${w.workersStarted}, on the event loop ${w.mainCheckpoints}, last worker ${JSON.stringify(w.workerStats())}` : ''}\n`);
  rec.close();
  rmSync(dir, { recursive: true, force: true });
}

/** usage-retention-days: 30 as the engine applies it (in steps), and the longest the event loop stalled meanwhile. */
async function retention(rec: UsageRecorder, n: number): Promise<void> {
  const lag = monitorEventLoopDelay({ resolution: 1 });
  const before = rec.totals({ from: 0, to: Number.MAX_SAFE_INTEGER }).requests;
  const p0 = performance.now();
  // Each turn of the loop below is one retention step (setImmediate to setImmediate) plus a cheap check.
  const turns: number[] = [];
  lag.enable();
  rec.setRetention(30);
  const cutoff = NOW - 30 * DAY - 15 * 60_000;
  for (let t = performance.now(); rec.recent(1, { before: cutoff }).length; ) {
    await new Promise((r) => setImmediate(r));
    turns.push(-t + (t = performance.now()));
    sampleWal();
  }
  await new Promise((r) => setTimeout(r, 5));
  lag.disable();
  const after = rec.totals({ from: 0, to: Number.MAX_SAFE_INTEGER }).requests;
  rec.setRetention(0);
  turns.sort((a, b) => a - b);
  const pct = (p: number) => (turns[Math.min(turns.length - 1, Math.floor(turns.length * p))] ?? 0).toFixed(1);
  process.stdout.write(
    `  retention 30 days of ${n.toLocaleString('en')}: ${(before - after).toLocaleString('en')} rows deleted in ${(performance.now() - p0).toFixed(0)} ms, ` +
      `${turns.length} steps (median ${pct(0.5)} ms, p99 ${pct(0.99)} ms, longest ${pct(1)} ms), longest event-loop stall ${(lag.max / 1e6).toFixed(1)} ms\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of (process.argv[2] ?? '10000,1000000').split(',').map(Number)) await usageBench(n);
}
