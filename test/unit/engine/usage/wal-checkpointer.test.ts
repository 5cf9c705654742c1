import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageRecorder, type UsageRecord } from '../../../../src-main/engine/usage';
import { openSqlite } from '../../../../src-main/engine/usage/sqlite';
import { WalCheckpointer } from '../../../../src-main/engine/usage/wal-checkpointer';

/** Small enough that a few hundred records cross it. */
const THRESHOLD = 64 * 1024;
const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };

let seq = 0;
function rec(): UsageRecord {
  const i = seq++;
  return {
    // Random-looking ids, as the engine's UUIDs: each batch touches pages all over the id index.
    id: `${((i * 2654435761) % 4294967296).toString(16).padStart(8, '0')}-${i}`,
    time: Date.UTC(2026, 11, 1) + i * 1000,
    inboundFormat: 'openai-chat',
    provider: 'codex',
    accountId: `acct-${i % 7}`,
    requestedModel: 'gpt-5',
    inputTokens: 100,
    outputTokens: 50,
    reasoningTokens: 0,
    cachedTokens: 0,
    latencyMs: 800,
    status: 200,
    stream: true,
  };
}

let dir: string;
let dbPath: string;
const workers: Worker[] = [];
beforeEach(() => {
  seq = 0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-wal-'));
  dbPath = path.join(dir, 'usage.db');
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.terminate();
  fs.rmSync(dir, { recursive: true, force: true });
});

const walSize = (): number => fs.statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;

/** Poll (a turn of the event loop each time) until `cond` holds; fails after a generous cap. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond(), what).toBe(true);
}

/** Write batches of records until the WAL file is past the threshold. */
function writePastThreshold(r: UsageRecorder): void {
  for (let i = 0; i < 200 && walSize() <= THRESHOLD; i++) {
    for (let k = 0; k < 100; k++) r.record(rec());
    r.flush();
  }
  expect(walSize()).toBeGreaterThan(THRESHOLD);
}

/**
 * `batches` writes of 20 records with no turn of the event loop between them: the largest WAL file
 * seen, and how often the log started over (the file was cut back).
 */
function writeBackToBack(r: UsageRecorder, batches: number): { largest: number; restarts: number } {
  let largest = 0;
  let restarts = 0;
  for (let i = 0, last = walSize(); i < batches; i++) {
    for (let k = 0; k < 20; k++) r.record(rec());
    r.flush();
    const size = walSize();
    if (size < last) restarts++;
    largest = Math.max(largest, (last = size));
  }
  return { largest, restarts };
}

describe('WAL checkpoints of the usage history', () => {
  it('turns off the writer connection\'s own checkpoints and cuts the WAL back to the threshold when it restarts', () => {
    const db = openSqlite(dbPath);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000); // SQLite's default, before
    new WalCheckpointer(db, dbPath, { thresholdBytes: THRESHOLD });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(THRESHOLD);
    db.close();
  });

  it('checkpoints in a worker thread once the WAL passes the threshold, never on the writer\'s thread', async () => {
    const warnings: string[] = [];
    const r = new UsageRecorder({ dbPath, checkpoint: { thresholdBytes: THRESHOLD }, onWarning: (m) => warnings.push(m) });
    expect(r.wal.workersStarted).toBe(0); // started when first needed, not with the recorder
    writePastThreshold(r);
    expect(r.wal.workersStarted).toBe(1);
    await until(() => (r.wal.workerStats()?.runs ?? 0) > 0, 'the worker ran a checkpoint');
    const stats = r.wal.workerStats()!;
    expect(stats.checkpointed).toBe(stats.log); // nothing else writing: all of the log copied
    // The next commit starts the log over and cuts the file back.
    r.record(rec());
    r.flush();
    expect(walSize()).toBeLessThanOrEqual(THRESHOLD);
    expect(r.wal.mainCheckpoints).toBe(0);
    expect(r.wal.fellBack).toBe(false);
    expect(warnings).toEqual([]);
    expect(r.totals(ALL).requests).toBe(seq);
    r.close();
  });

  it('keeps the WAL bounded through writes that never give the event loop a turn (retention, import)', () => {
    const threshold = 4 * THRESHOLD;
    const r = new UsageRecorder({ dbPath, checkpoint: { thresholdBytes: threshold } });
    const { restarts } = writeBackToBack(r, 400); // ~40 MB of log
    // Without the writer stepping in past 16 thresholds the log never restarts here (the worker's
    // checkpoints always overlap a write) and the file grows with every write. How far past 16
    // depends on how long the worker's checkpoint in flight takes (one at a time).
    expect(restarts).toBeGreaterThanOrEqual(2);
    expect(r.wal.workerStats()?.runs).toBeGreaterThan(0);
    expect(r.totals(ALL).requests).toBe(seq);
    r.close();
  });

  it('paces retention\'s steps to the worker, so the log restarts during a long pass without the writer checkpointing', async () => {
    const now = Date.UTC(2026, 11, 1) + 40 * 86_400_000;
    // Steps small beside the threshold, as in the engine (1,000 records of a large history, 4 MiB):
    // the writer steps in only if the worker is starved for many steps (each waits up to 100 ms).
    const r = new UsageRecorder({ dbPath, now: () => now, pruneBatch: 50, checkpoint: { thresholdBytes: 4 * THRESHOLD } });
    for (let i = 0; i < 40; i++) {
      for (let k = 0; k < 250; k++) r.record(rec()); // 10,000 records a second apart: all older than 30 days
      r.flush();
    }
    await until(() => !r.wal.checkpointInFlight(), 'the fill was checkpointed');
    const runsBefore = r.wal.workerStats()?.runs ?? 0;
    const writerCheckpointsBefore = r.wal.mainCheckpoints; // the fill above wrote back to back
    let largest = 0;
    let restarts = 0;
    r.setRetention(30);
    await until(() => {
      const size = walSize();
      if (size < largest) restarts++;
      largest = Math.max(largest, size);
      return r.totals(ALL).requests === 0;
    }, 'retention deleted everything');
    expect(r.wal.workerStats()!.runs).toBeGreaterThan(runsBefore);
    expect(restarts).toBeGreaterThan(0);
    expect(r.wal.mainCheckpoints).toBe(writerCheckpointsBefore);
    r.close();
  });

  it('falls back to SQLite\'s own checkpoints, said once, when the worker cannot start', () => {
    const warnings: string[] = [];
    const r = new UsageRecorder({
      dbPath,
      checkpoint: {
        thresholdBytes: THRESHOLD,
        startWorker: () => {
          throw new Error('no threads here');
        },
      },
      onWarning: (m) => warnings.push(m),
    });
    writePastThreshold(r);
    writePastThreshold(r);
    expect(r.wal.fellBack).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not start \(no threads here\).*writer's commits/);
    // SQLite's automatic checkpoint is back: 1,000 pages later the log has restarted.
    for (let i = 0; i < 100; i++) {
      for (let k = 0; k < 100; k++) r.record(rec());
      r.flush();
    }
    expect(r.totals(ALL).requests).toBe(seq);
    r.close();
  });

  it('puts SQLite\'s automatic checkpoint back on the writer connection when it falls back', () => {
    const db = openSqlite(dbPath);
    db.exec('CREATE TABLE t (x)');
    const wal = new WalCheckpointer(db, dbPath, { thresholdBytes: THRESHOLD, startWorker: () => { throw new Error('no threads here'); } });
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    while (walSize() <= THRESHOLD) insert.run('x'.repeat(1000));
    wal.afterWrite();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('falls back when the worker fails after it started (better-sqlite3 not loadable there)', async () => {
    const warnings: string[] = [];
    const r = new UsageRecorder({
      dbPath,
      checkpoint: { thresholdBytes: THRESHOLD, sqliteEntry: path.join(dir, 'missing-better-sqlite3.js') },
      onWarning: (m) => warnings.push(m),
    });
    writePastThreshold(r);
    await until(() => r.wal.fellBack, 'fell back');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/checkpoint worker stopped/);
    writePastThreshold(r);
    expect(warnings).toHaveLength(1);
    expect(r.totals(ALL).requests).toBe(seq);
    r.close();
  });

  it('checkpoints on the writer\'s thread if the worker never answers, so the WAL stays bounded', () => {
    const threshold = 4 * THRESHOLD;
    const r = new UsageRecorder({
      dbPath,
      checkpoint: {
        thresholdBytes: threshold,
        // Starts, but never looks at its requests.
        startWorker: (_source, options) => {
          const w = new Worker('setInterval(() => {}, 1 << 30);', { ...options, eval: true });
          workers.push(w);
          return w;
        },
      },
    });
    const { largest, restarts } = writeBackToBack(r, 400);
    expect(r.wal.mainCheckpoints).toBeGreaterThan(0);
    expect(restarts).toBeGreaterThanOrEqual(2);
    expect(largest).toBeLessThan(20 * threshold); // 16 thresholds and a batch
    r.close();
  });

  it('loses no record when closed with records queued while the worker checkpoints', async () => {
    const r = new UsageRecorder({ dbPath, checkpoint: { thresholdBytes: THRESHOLD } });
    writePastThreshold(r);
    await until(() => r.wal.workerStats()?.running === true, 'the worker is running');
    writePastThreshold(r); // a second request, which the worker may be copying as the recorder closes
    for (let k = 0; k < 500; k++) r.record(rec());
    expect(r.pending()).toBe(500);
    r.close(); // synchronous, waits (briefly) for the worker to close its connection
    // So the writer's close was the last one: it checkpointed all of the log and removed the file.
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(false);
    const again = new UsageRecorder({ dbPath });
    expect(again.totals(ALL).requests).toBe(seq);
    again.close();
  });

  it('lets the worker exit after a quiet period, truncating the WAL file, and starts a new one when needed', async () => {
    const r = new UsageRecorder({ dbPath, checkpoint: { thresholdBytes: THRESHOLD, quietMs: 20 } });
    writePastThreshold(r);
    // It truncates the file (TRUNCATE) before it closes its connection and exits.
    await until(() => r.wal.workerStats()?.running === false && walSize() === 0, 'the worker truncated the WAL and exited');
    writePastThreshold(r);
    expect(r.wal.workersStarted).toBe(2);
    await until(() => (r.wal.workerStats()?.runs ?? 0) > 0, 'the second worker ran a checkpoint');
    expect(r.wal.mainCheckpoints).toBe(0);
    expect(r.totals(ALL).requests).toBe(seq);
    r.close();
  });
});
