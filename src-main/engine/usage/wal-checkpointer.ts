import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { SqliteDb } from './sqlite';
import { CHECKPOINT_WORKER_SOURCE, SLOT, SLOT_COUNT, STATE_CLOSED, STATE_GONE, type CheckpointWorkerData } from './checkpoint-worker';

/** SQLite's own automatic checkpoint point: 1,000 pages of 4 KiB. */
const THRESHOLD_BYTES = 4 * 1024 * 1024;
/** The worker exits after this long without a request (the engine idles without its ~8 MB). */
const QUIET_MS = 30_000;
/** What SQLite's wal_autocheckpoint is put back to when checkpoints fall back to the writer. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export interface WalCheckpointOptions {
  /** WAL size that asks for a checkpoint; the WAL file is also cut back to it when the log restarts. Default 4 MiB. */
  thresholdBytes?: number;
  /** How long the worker waits for a request before it exits. Default 30 s. */
  quietMs?: number;
  /** Starts the worker thread (tests inject one that fails). */
  startWorker?: (source: string, options: WorkerOptions) => Worker;
  /** better-sqlite3's entry for the worker; default: resolved next to this module, as sqlite.ts loads it. */
  sqliteEntry?: string;
}

/**
 * Checkpoints of a WAL-mode writer connection, off the event loop.
 *
 * SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 pages, copying them into
 * the database file and syncing it: 16-35 ms (more at 10M rows) of the event loop, which every
 * proxied request waits for. Here the writer's automatic checkpoint is off and a worker thread with
 * its own connection runs `wal_checkpoint(PASSIVE)`, which takes no lock the writer needs.
 *
 * When to checkpoint is decided by the writer right after it wrote (`afterWrite`, a stat of the -wal
 * file: a few microseconds), because only its writes grow the WAL: no timer wakes an idle engine, and
 * the worker is started only when a checkpoint is first needed. The file's size tells how much log
 * there is because `journal_size_limit` cuts the file back to the threshold whenever the log
 * restarts, so a file past the threshold holds that much log not yet started over.
 *
 * The WAL stays bounded when the worker cannot help: if it cannot start or fails, the writer's
 * automatic checkpoint is switched back on (as before, logged once); if the log reaches 16
 * thresholds anyway (a stuck worker, writes back to back), the writer checkpoints once itself.
 * On disk the file is cut back whenever the log restarts, and truncated when the worker goes quiet.
 *
 * The writer's write transactions must be IMMEDIATE: the worker's TRUNCATE resets the WAL, which
 * fails a deferred transaction that read before it and writes after (SQLITE_BUSY_SNAPSHOT).
 */
export class WalCheckpointer {
  /** Checkpoints this class ran on the writer's thread (a worker that did not answer; after a fallback SQLite runs them). */
  mainCheckpoints = 0;
  /** Workers started. */
  workersStarted = 0;
  /** True once checkpoints are back on the writer connection (worker failed). */
  fellBack = false;
  private readonly walPath: string | undefined;
  private readonly threshold: number;
  private readonly quietMs: number;
  private readonly startWorker: (source: string, options: WorkerOptions) => Worker;
  private readonly sqliteEntry: string | undefined;
  private readonly onWarning: (message: string) => void;
  private worker: { thread: Worker; slots: Int32Array } | undefined;
  /** WAL size when the last checkpoint was asked for (0: none asked since the log restarted). */
  private askedAt = 0;
  /** WAL size when the writer last checkpointed itself (0: not since the log restarted). */
  private hereAt = 0;
  /** WAL size after the previous write. */
  private lastSize = 0;

  constructor(
    private readonly db: SqliteDb,
    dbPath: string,
    opts: WalCheckpointOptions & { onWarning?: (message: string) => void } = {},
  ) {
    this.threshold = Math.max(4096, opts.thresholdBytes ?? THRESHOLD_BYTES);
    this.quietMs = opts.quietMs ?? QUIET_MS;
    this.startWorker = opts.startWorker ?? ((source, options) => new Worker(source, options));
    this.sqliteEntry = opts.sqliteEntry;
    this.onWarning = opts.onWarning ?? (() => undefined);
    if (dbPath === ':memory:' || String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return;
    this.walPath = `${dbPath}-wal`;
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${this.threshold}`);
  }

  /** Call after each committed write: asks for a checkpoint when the WAL has grown past the threshold. */
  afterWrite(): void {
    if (!this.walPath || this.fellBack) return;
    const size = fs.statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0;
    // A smaller file: the log restarted (cut back to journal_size_limit, or truncated).
    if (size <= this.threshold || size < this.lastSize) this.askedAt = this.hereAt = 0;
    this.lastSize = size;
    if (size <= this.threshold) return;
    // Bounded whatever the worker does: when writes come back to back (retention's steps, an import)
    // a checkpoint beside them rarely copies the whole log, and the log restarts only after one that
    // did. Past 16 thresholds the writer copies what is left (little, after the worker's passes).
    if (size >= this.hereAt + 16 * this.threshold) {
      if (this.checkpointHere()) this.hereAt = size;
      return;
    }
    let w = this.worker;
    if (w && Atomics.load(w.slots, SLOT.state) >= STATE_GONE) {
      // It went quiet and exited, maybe just as it was asked: the next request starts a new one.
      this.worker = w = undefined;
      this.askedAt = 0;
    }
    // Still copying (or starting) for the last request.
    if (w && Atomics.load(w.slots, SLOT.requests) !== Atomics.load(w.slots, SLOT.answered)) return;
    // Asked at about this size already: the log did not restart (a reader held it, or the writer
    // has not written since the checkpoint). Ask again once it has grown by another threshold.
    if (this.askedAt && size < this.askedAt + this.threshold) return;
    w ??= this.start();
    if (!w) return;
    this.askedAt = size;
    Atomics.add(w.slots, SLOT.requests, 1);
    Atomics.notify(w.slots, SLOT.requests);
  }

  /**
   * True while the worker copies a log of 4 thresholds or more: writers that can wait (retention's
   * steps) do, so that this checkpoint overlaps no write, copies all of the log, and the log starts
   * over at the next write. Below that they go on (the worker copies beside them).
   */
  checkpointInFlight(): boolean {
    const s = this.worker?.slots;
    if (!s || this.lastSize < 4 * this.threshold) return false;
    return Atomics.load(s, SLOT.state) < STATE_GONE && Atomics.load(s, SLOT.requests) !== Atomics.load(s, SLOT.answered);
  }

  /** The last worker's counters (checkpoints run, log restarts), for tests and the bench. */
  workerStats(): { runs: number; restarts: number; log: number; checkpointed: number; running: boolean } | undefined {
    const s = this.worker?.slots;
    if (!s) return undefined;
    const at = (i: number): number => Atomics.load(s, i);
    return { runs: at(SLOT.runs), restarts: at(SLOT.restarts), log: at(SLOT.log), checkpointed: at(SLOT.checkpointed), running: at(SLOT.state) < STATE_GONE };
  }

  /**
   * Tell the worker to close its connection and wait (at most `waitMs`) until it has: the writer's
   * own close is then the last one, which checkpoints all of the log and removes the WAL file.
   * Past that (the worker in a long copy) the writer closes anyway; every committed record is in the
   * database file or its WAL either way, and the worker, an unref'd thread, ends at process exit.
   */
  close(waitMs = 1000): void {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    Atomics.store(w.slots, SLOT.stop, 1);
    Atomics.add(w.slots, SLOT.requests, 1);
    Atomics.notify(w.slots, SLOT.requests);
    const deadline = Date.now() + waitMs;
    for (let state; (state = Atomics.load(w.slots, SLOT.state)) !== STATE_CLOSED && Date.now() < deadline; ) {
      Atomics.wait(w.slots, SLOT.state, state, Math.max(1, deadline - Date.now()));
    }
  }

  private start(): { thread: Worker; slots: Int32Array } | undefined {
    const slots = new Int32Array(new SharedArrayBuffer(SLOT_COUNT * Int32Array.BYTES_PER_ELEMENT));
    try {
      const workerData: CheckpointWorkerData = {
        shared: slots.buffer as SharedArrayBuffer,
        sqlite: this.sqliteEntry ?? createRequire(import.meta.url).resolve('better-sqlite3'),
        dbPath: this.walPath!.slice(0, -'-wal'.length),
        quietMs: this.quietMs,
        restartBytes: 4 * this.threshold,
      };
      const thread = this.startWorker(CHECKPOINT_WORKER_SOURCE, {
        eval: true,
        workerData,
        // Not the engine's flags (--cpu-prof, loaders, heap sizes): a thread that only runs SQLite.
        execArgv: [],
        resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
      });
      const w = { thread, slots };
      thread.unref();
      thread.on('message', (m: unknown) => {
        const error = typeof m === 'object' && m !== null && 'error' in m ? String((m as { error: unknown }).error) : 'unknown message';
        this.fallBack(`the checkpoint worker failed (${error})`, w);
      });
      thread.on('error', (err: unknown) => this.fallBack(`the checkpoint worker stopped (${(err as Error).message})`, w));
      thread.on('exit', () => Atomics.store(slots, SLOT.state, STATE_CLOSED));
      this.worker = w;
      this.workersStarted++;
      return w;
    } catch (err) {
      this.fallBack(`the checkpoint worker could not start (${(err as Error).message})`);
      return undefined;
    }
  }

  /** Checkpoints go back into the writer's commits, as SQLite does by default. Logged once. */
  private fallBack(why: string, from?: { thread: Worker; slots: Int32Array }): void {
    // A worker already replaced by a newer one: its failure does not concern the current one.
    if (this.fellBack || (from && this.worker && this.worker !== from)) return;
    this.fellBack = true;
    if (this.worker) void this.worker.thread.terminate();
    this.worker = undefined;
    if (!this.db.open) return;
    this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    this.onWarning(`usage history: ${why}; WAL checkpoints run in the writer's commits from now on`);
  }

  /** False when the worker's own checkpoint was running (SQLite lets one run at a time): try at the next write. */
  private checkpointHere(): boolean {
    if (!this.db.open) return false;
    const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number }>;
    if (r?.busy) return false;
    this.mainCheckpoints++;
    return true;
  }
}
