import { cp, mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../../..');

/** package.json `dependencies` plus what they pull in: the top-level lockfile entries not marked dev. */
export async function productionPackages(): Promise<string[]> {
  const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([key, p]) => key.startsWith('node_modules/') && !key.slice('node_modules/'.length).includes('node_modules/') && !p.dev && !p.devOptional)
    .map(([key]) => key.slice('node_modules/'.length));
}

/**
 * A checkout as `npm ci --omit=dev` leaves it: the sources, package.json, bin/, scripts/, the
 * given dist/ folders, and a node_modules holding only production packages (links into the real
 * install). esbuild, tsx and every other devDependency cannot be resolved from here.
 */
export async function productionView(opts: { dist: string[] }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-prod-view-'));
  for (const p of ['package.json', 'bin', 'scripts', 'src-main', 'src-shared', ...opts.dist]) {
    await cp(path.join(root, p), path.join(dir, p), { recursive: true });
  }
  for (const name of await productionPackages()) {
    const to = path.join(dir, 'node_modules', name);
    await mkdir(path.dirname(to), { recursive: true });
    await symlink(path.join(root, 'node_modules', name), to, 'dir');
  }
  return dir;
}
