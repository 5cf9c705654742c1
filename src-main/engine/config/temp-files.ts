import { promises as fs } from 'node:fs';
import path from 'node:path';

/** `writeFileAtomic`'s temp names: `.<target>.<pid>.<8 hex>.tmp`. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;
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
export async function removeStaleTempFiles(dir: string, opts: { target?: string; now?: number } = {}): Promise<string[]> {
  const now = opts.now ?? Date.now();
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    // In a folder that is not only ours (a --config elsewhere), only our target's temp files.
    if (!m || (opts.target !== undefined && m[1] !== opts.target)) continue;
    const file = path.join(dir, name);
    try {
      const st = await fs.lstat(file);
      if (!st.isFile()) continue;
      if (processAlive(Number(m[2])) && now - st.mtimeMs < STALE_AFTER_MS) continue;
      await fs.rm(file, { force: true });
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: nothing to clean.
    }
  }
  return removed;
}

/**
 * Tighten secret files left loose by an older version or a copy (CLIProxyAPI auth files, an
 * accounts.json restored from a backup): 0600. Best effort (files of another owner stay as they are).
 */
export async function tightenSecretFiles(dir: string, files: (name: string) => boolean): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) if (files(name)) await fs.chmod(path.join(dir, name), 0o600).catch(() => undefined);
}
