import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The data directory: `$SWITCHYARD_HOME`, else `~/.switchyard`. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SWITCHYARD_HOME;
  if (override && override.trim()) return path.resolve(expandHome(override.trim()));
  return path.join(os.homedir(), '.switchyard');
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), 'config.yaml');
}

export function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return p;
}

/** Resolve a path from the config: `~` expanded, relative paths against the data dir. */
export function resolveDataPath(p: string, env: NodeJS.ProcessEnv = process.env): string {
  const expanded = expandHome(p);
  return path.isAbsolute(expanded) ? expanded : path.join(dataDir(env), expanded);
}

/**
 * Create the data directory owner-only (0700) and tighten an existing one: it holds the config
 * (secrets), usage history and account metadata. Best effort: a directory we do not own stays as is.
 */
export function secureDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
  } catch {
    // Not ours to change (shared or read-only mount): the files inside are still 0600.
  }
}
