/**
 * The WAL checkpoint worker (see wal-checkpointer.ts), as the source text of a CommonJS script run
 * with `new Worker(source, { eval: true })`: the same text runs from the sources (tests), the CLI
 * bundle (where the launcher runs the bundle as a vm.Script, which a worker file next to it would
 * not share) and the Electron main bundle, with no extra file to ship or resolve. It must stay
 * plain ASCII JavaScript (the CLI bundle is ASCII only).
 *
 * The worker and the writer talk through a SharedArrayBuffer of Int32 slots, not messages: the
 * writer reads whether its last request was answered synchronously (retention's steps and large
 * imports write in loops that do not give the event loop a turn), and the worker sleeps in
 * Atomics.wait (no CPU, no timers) until asked, or until `quietMs` pass without a request, when it
 * truncates the WAL file, closes its connection and exits, giving its memory back.
 */

/** Slots of the shared Int32Array. */
export const SLOT = {
  /** Requests made (the writer adds 1 and notifies). */
  requests: 0,
  /** The request count last answered. */
  answered: 1,
  /** STATE_* below. */
  state: 2,
  /** 1: the writer is closing; exit without truncating. */
  stop: 3,
  /** Result of the last checkpoint: frames in the WAL, frames copied, 1 if a reader or writer was in the way. */
  log: 4,
  checkpointed: 5,
  busy: 6,
  /** Checkpoints run (PASSIVE and RESTART), for tests and the bench. */
  runs: 7,
  /** RESTART checkpoints that reset the log. */
  restarts: 8,
} as const;
export const SLOT_COUNT = 9;

export const STATE_STARTING = 0;
export const STATE_RUNNING = 1;
/** Exiting (went quiet, was stopped or failed): a new request needs a new worker. */
export const STATE_GONE = 2;
/** Its connection is closed (or was never opened): the writer's close may be the last one. */
export const STATE_CLOSED = 3;

export interface CheckpointWorkerData {
  shared: SharedArrayBuffer;
  /** Absolute path of better-sqlite3's entry, resolved by the writer (the worker's own require resolves from the working directory). */
  sqlite: string;
  dbPath: string;
  quietMs: number;
  /** A WAL of at least this many bytes that PASSIVE could not finish is reset with RESTART. */
  restartBytes: number;
}

// Why RESTART: the writer starts the WAL over from its beginning (and cuts the file back to
// journal_size_limit) only when a checkpoint copied all of it. PASSIVE copies up to the last commit
// it saw, and retention's steps commit back to back, so under them the copy is rarely complete and
// the file would grow for the whole pass. RESTART takes the write lock (busy_timeout 0: only between
// two of the writer's transactions, never waiting for one) and copies the few frames written since
// the PASSIVE pass, so the writer's next transaction starts the log over; the writer may wait for
// that short copy, not for the whole one. It is tried a few times, 2 ms apart, as the writer's
// transactions leave gaps. (Retention's steps also wait for a large checkpoint: see recorder.ts.)
export const CHECKPOINT_WORKER_SOURCE = String.raw`'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const d = workerData;
const s = new Int32Array(d.shared);
const S = ${JSON.stringify(SLOT)};
const nap = new Int32Array(new SharedArrayBuffer(4));
let db;
try {
  db = new (require(d.sqlite))(d.dbPath, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  db.pragma('cache_size = -256');
} catch (err) {
  Atomics.store(s, S.state, ${STATE_CLOSED});
  Atomics.notify(s, S.state);
  throw err;
}
const pageSize = db.pragma('page_size', { simple: true });
const checkpoint = (mode) => {
  const r = db.pragma('wal_checkpoint(' + mode + ')')[0];
  Atomics.store(s, S.busy, r.busy);
  Atomics.store(s, S.log, r.log);
  Atomics.store(s, S.checkpointed, r.checkpointed);
  Atomics.add(s, S.runs, 1);
  return r;
};
Atomics.store(s, S.state, ${STATE_RUNNING});
let seen = 0;
let quiet = false;
for (;;) {
  if (Atomics.load(s, S.stop)) break;
  const asked = Atomics.load(s, S.requests);
  if (asked === seen) {
    if (Atomics.wait(s, S.requests, seen, d.quietMs) === 'timed-out' && Atomics.load(s, S.requests) === seen) {
      quiet = true;
      break;
    }
    continue;
  }
  seen = asked;
  try {
    const r = checkpoint('PASSIVE');
    if (r.checkpointed < r.log && r.log * pageSize >= d.restartBytes) {
      for (let tries = 0; tries < 10 && !Atomics.load(s, S.stop); tries++) {
        if (tries) Atomics.wait(nap, 0, 0, 2);
        if (!checkpoint('RESTART').busy) {
          Atomics.add(s, S.restarts, 1);
          break;
        }
      }
    }
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
  Atomics.store(s, S.answered, seen);
}
Atomics.store(s, S.state, ${STATE_GONE});
if (quiet) {
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {}
}
db.close();
Atomics.store(s, S.state, ${STATE_CLOSED});
Atomics.notify(s, S.state);
`;
