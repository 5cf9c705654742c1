import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { FileSecretStore } from './file-secret-store';
import type { AccountRegistry } from './registry';

/**
 * Reload the registry when auth files or accounts.json change on disk, so a `switchyard login`
 * or `import` in another terminal (or a file dropped into auth-dir) reaches a running engine.
 * Changes are debounced; reload failures are reported and the last good state keeps serving.
 * Returns a function that stops watching. Keychain stores have nothing to watch but accounts.json.
 */
export function watchAccounts(registry: AccountRegistry, opts: { debounceMs?: number; onError?: (err: Error) => void } = {}): () => void {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const reload = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await registry.load();
    } catch (err) {
      opts.onError?.(err as Error);
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void reload(), opts.debounceMs ?? 250);
    timer.unref();
  };
  const add = (dir: string, accept: (name: string) => boolean) => {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const w = watch(dir, (_event, name) => {
        // Our own temp files come and go on every atomic write; only the renamed target matters.
        if (!name || accept(String(name))) schedule();
      });
      w.on('error', (err) => opts.onError?.(err));
      w.unref();
      watchers.push(w);
    } catch (err) {
      opts.onError?.(err as Error);
    }
  };
  const metaDir = path.dirname(registry.meta.file);
  const metaName = path.basename(registry.meta.file);
  if (registry.store instanceof FileSecretStore) {
    const authDir = registry.store.dir;
    add(authDir, (n) => n.endsWith('.json') && !n.startsWith('.'));
    if (path.resolve(authDir) !== path.resolve(metaDir)) add(metaDir, (n) => n === metaName);
  } else {
    add(metaDir, (n) => n === metaName);
  }
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
