import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Replaced by the bundler (scripts/build.mjs `define`) with package.json's version. */
declare const __SWITCHYARD_VERSION__: string | undefined;

/**
 * The version this CLI was built as. The bundle carries it as a constant, so it is right however
 * the file is started (bin, `node dist/cli/cli.js`, npm run); only the unbundled sources (tests run
 * through tsx) read package.json next to them.
 */
export const SWITCHYARD_VERSION: string =
  typeof __SWITCHYARD_VERSION__ === 'string' ? __SWITCHYARD_VERSION__ : sourceTreeVersion();

function sourceTreeVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
