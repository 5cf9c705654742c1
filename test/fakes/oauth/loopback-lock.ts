import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Browser sign-ins listen on each provider's registered loopback port (Codex 1455, Gemini CLI 8085,
 * iFlow 11451, Antigravity 51121, Claude 54545), the same ports in every process. Vitest runs test
 * files two at a time and the README tests run the CLI, so two files signing in at once would take
 * each other's redirect (one listener finds the port busy, its browser reaches the other's or
 * none). Every file that signs in through a browser flow holds this lock for its whole run.
 *
 * The lock is a directory (mkdir is atomic across processes) with the owner's pid inside; a lock
 * whose owner is gone, or that is older than any file may hold it, is taken over.
 */
const LOCK = path.join(os.tmpdir(), `switchyard-test-loopback-ports-${os.userInfo().uid}.lock`);
const OWNER = path.join(LOCK, 'owner');
/** Longest a file may hold the lock, and longest a file waits for it. */
const HOLD_MS = 300_000;
const POLL_MS = 50;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock is left over: its owner exited without releasing it, or held it past HOLD_MS. */
function abandoned(): boolean {
  try {
    const age = Date.now() - statSync(LOCK).mtimeMs;
    if (age > HOLD_MS) return true;
    const pid = Number(readFileSync(OWNER, 'utf8'));
    return Number.isInteger(pid) && pid > 0 && !alive(pid);
  } catch {
    return false; // just released, or taken and its owner file not yet written: look again
  }
}

/** Move a left-over lock aside first: of two waiters that both found it left over, one moves it. */
function discard(): void {
  const aside = `${LOCK}.${process.pid}.${Date.now()}`;
  try {
    renameSync(LOCK, aside);
  } catch {
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}

async function take(): Promise<() => void> {
  const until = Date.now() + HOLD_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(OWNER, String(process.pid));
      return () => {
        try {
          if (readFileSync(OWNER, 'utf8') === String(process.pid)) rmSync(LOCK, { recursive: true, force: true });
        } catch {
          // taken over after HOLD_MS: nothing of ours to remove
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (abandoned()) discard();
    else if (Date.now() > until) throw new Error(`waited ${HOLD_MS / 1000} s for the loopback sign-in ports (${LOCK})`);
    else await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Call at the top of a test file whose tests sign in through a provider's loopback port. */
export function holdLoopbackPortsForThisFile(): void {
  let release: (() => void) | undefined;
  beforeAll(async () => {
    release = await take();
  }, HOLD_MS + 10_000);
  afterAll(() => release?.());
}
