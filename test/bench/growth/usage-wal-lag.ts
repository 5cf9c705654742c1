// Event-loop delay while the usage history records a steady load: what every proxied request waits
// for when a batch write (and, before the checkpoint worker, SQLite's automatic checkpoint inside
// it) runs on the event loop.
//   tsx test/bench/growth/usage-wal-lag.ts [records/s=2000] [seconds=20] [history rows=300000]
// The history is written first (ordered ids, like usage-history.ts), then records with random
// UUIDs (as the engine writes them) arrive every 10 ms; the recorder writes them every 250 ms.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { UsageRecorder } from '../../../src-main/engine/usage/recorder';
import type { UsageRecord } from '../../../src-main/engine/usage/record';

const [rate = 2000, seconds = 20, history = 300_000] = process.argv.slice(2).map(Number);

function record(i: number, time: number, id: string): UsageRecord {
  return {
    id,
    time,
    clientKeyLabel: `key-${i % 4}`,
    inboundFormat: 'openai-chat',
    provider: 'codex',
    accountId: `acct-${i % 20}`,
    accountLabel: `user${i % 20}@example.com`,
    requestedModel: 'gpt-5',
    upstreamModel: 'gpt-5',
    inputTokens: 1000 + (i % 5000),
    outputTokens: 100 + (i % 700),
    reasoningTokens: 0,
    cachedTokens: 0,
    latencyMs: 1200,
    ttftMs: 300,
    status: 200,
    stream: true,
    upstreamStatus: 200,
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-wal-lag-'));
const dbPath = path.join(dir, 'usage.db');
const rec = new UsageRecorder({ dbPath });
const start = Date.now() - 30 * 86_400_000;
for (let i = 0; i < history; i++) {
  rec.record(record(i, start + i * 1000, `${i.toString(16).padStart(12, '0')}-0000-4000-8000-000000000000`));
  if (i % 20_000 === 19_999) rec.flush();
}
rec.flush();
// Start the measured part from a WAL that the history's own writing left behind, checkpointed.
const wal = (rec as { wal?: { afterWrite(): void; workerStats(): object | undefined; mainCheckpoints: number; workersStarted: number } }).wal;
wal?.afterWrite();
await new Promise((r) => setTimeout(r, 1000));

// Start from a restarted log: the history's own writing (back to back) may have left a large one.
for (let i = 0; wal && i < 100 && (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 4 * 1024 * 1024; i++) {
  rec.record(record(history + i, Date.now(), randomUUID()));
  rec.flush();
  await new Promise((r) => setTimeout(r, 100));
}

// Each batch write on the event loop (and, before the worker, the checkpoint inside it), timed.
const flushes: number[] = [];
const flush = rec.flush.bind(rec);
rec.flush = () => {
  const t = performance.now();
  const written = flush();
  if (written) flushes.push(performance.now() - t);
  return written;
};
/** CPU ms of the main thread alone (Linux): what the event loop spent, without the worker's share. */
const mainCpuMs = (): number => {
  const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};
const main0 = mainCpuMs();
let walMax = 0;
let n = 0;
const lag = monitorEventLoopDelay({ resolution: 1 });
const c0 = process.cpuUsage();
lag.enable();
const t0 = performance.now();
await new Promise<void>((done) => {
  const tick = setInterval(() => {
    for (let k = 0; k < rate / 100; k++) rec.record(record(n++, Date.now(), randomUUID()));
    walMax = Math.max(walMax, statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    if (performance.now() - t0 >= seconds * 1000) {
      clearInterval(tick);
      done();
    }
  }, 10);
});
lag.disable();
const cpu = process.cpuUsage(c0);
const mainCpu = mainCpuMs() - main0;
flushes.sort((a, b) => a - b);
const at = (p: number): string => (flushes[Math.min(flushes.length - 1, Math.floor(flushes.length * p))] ?? 0).toFixed(1);
const ms = (v: number) => (v / 1e6).toFixed(1);
process.stdout.write(
  `${n.toLocaleString('en')} records at ${rate}/s over ${seconds} s on ${history.toLocaleString('en')} rows: event-loop delay ` +
    `p50 ${ms(lag.percentile(50))} ms, p99 ${ms(lag.percentile(99))} ms, p99.9 ${ms(lag.percentile(99.9))} ms, max ${ms(lag.max)} ms; ` +
    `process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (main thread ${mainCpu.toFixed(0)} ms); largest -wal ${(walMax / 1e6).toFixed(1)} MB\n` +
    `  ${flushes.length} batch writes on the event loop: median ${at(0.5)} ms, p99 ${at(0.99)} ms, longest ${at(1)} ms, ${flushes.filter((f) => f > 10).length} over 10 ms\n` +
    (wal ? `  checkpoint workers started ${wal.workersStarted}, on the event loop ${wal.mainCheckpoints}, last worker ${JSON.stringify(wal.workerStats())}\n` : ''),
);
rec.close();
rmSync(dir, { recursive: true, force: true });
