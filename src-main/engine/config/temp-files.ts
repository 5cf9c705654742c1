import { promises as fs } from 'node:fs';
import path from 'node:path';

/** `writeFileAtomic`'s temp names: `.<target>.<pid>.<8 hex>.tmp`. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
/** A temp file this old is stale even if its pid is alive again (pids are reused). */
const STALE_AFTER_MS = 10 * 60_000;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Delete the temp files of atomic writes that never finished (the writer was killed between
 * write and rename). They may hold a whole config or auth file, secrets included. A file whose
 * writer is still running and that is recent is left alone. Returns the names removed.
 */
export async function removeStaleTempFiles(dir: string, now: number = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    try {
      const st = await fs.lstat(file);
      if (!st.isFile()) continue;
      if (processAlive(Number(m[1])) && now - st.mtimeMs < STALE_AFTER_MS) continue;
      await fs.rm(file, { force: true });
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: nothing to clean.
    }
  }
  return removed;
}
