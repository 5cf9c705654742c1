#!/usr/bin/env node
// `npm run serve` / `npm run switchyard`: run the built CLI (dist/cli/cli.js) in this process, no
// wrapper process between the user's signals and the engine. In a development checkout (esbuild
// installed) the bundle is rebuilt first when a source changed since the last build (a second or
// so), so it always reflects the sources; an install without devDependencies (`npm ci
// --omit=dev`) runs the bundle that is there.
//
// The check runs on every start, so it is kept cheap: no module of its own to load (an ES module
// costs a few ms to load here), and one stat per file the last build read, by plain string paths.
// The build scripts and esbuild are loaded only when a rebuild is due.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * True when every file of the last build has the modification time it had then. The record
 * (dist/cli/switchyard.inputs.json, written by inputsRecord in scripts/cli-build.mjs) lists the
 * bundle's own sources, the build scripts and package.json / package-lock.json, relative to `root`.
 */
export function upToDate(root, recordFile) {
  let files;
  try {
    files = JSON.parse(readFileSync(recordFile, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(files) || files.length === 0) return false;
  const prefix = root + path.sep;
  const options = { throwIfNoEntry: false };
  for (const [file, mtime] of files) {
    if (statSync(prefix + file, options)?.mtimeMs !== mtime) return false;
  }
  return true;
}

async function loadBuilder(root) {
  if (!existsSync(path.join(root, 'src-main/cli.ts'))) return undefined;
  try {
    return await import('./build.mjs');
  } catch (err) {
    // Only a missing esbuild means "no build tools here"; any other failure is a real error.
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && /esbuild/.test(String(err.message))) return undefined;
    throw err;
  }
}

async function run() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const bundle = path.join(root, 'dist/cli/cli.js');
  const builder = upToDate(root, path.join(root, 'dist/cli/switchyard.inputs.json')) ? undefined : await loadBuilder(root);
  if (builder) {
    await builder.buildCli(bundle);
    // esbuild keeps its service child process (~50 MB) alive for as long as this process lives
    // unless told to stop: the server must not carry the build tool around.
    await (await import('esbuild')).stop();
  } else if (!existsSync(bundle)) {
    process.stderr.write(
      'switchyard: the CLI is not built (dist/cli/cli.js is missing) and esbuild, a devDependency, is not installed.\n' +
        'Run `bash scripts/setup.sh` (installs dependencies and builds), or `npm ci && node scripts/build.mjs`.\n',
    );
    process.exit(1);
  }
  await import(pathToFileURL(bundle).href);
}

/** Started as a script (Node resolves the main module's symlinks unless --preserve-symlinks-main). */
function startedAsScript() {
  const self = fileURLToPath(import.meta.url);
  try {
    return path.resolve(process.argv[1]) === self || realpathSync(process.argv[1]) === self;
  } catch {
    return false;
  }
}

// Imported, as the tests do, it only provides upToDate.
if (startedAsScript()) await run();
