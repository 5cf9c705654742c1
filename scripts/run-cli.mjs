#!/usr/bin/env node
// `npm run serve` / `npm run switchyard`: run the built CLI (dist/cli/cli.js) in this process, no
// wrapper process between the user's signals and the engine. In a development checkout (esbuild
// installed) the bundle is rebuilt first when a source changed since the last build (a second or
// so), so it always reflects the sources; an install without devDependencies (`npm ci
// --omit=dev`) runs the bundle that is there.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/cli/cli.js');

async function loadBuilder() {
  if (!existsSync(path.join(root, 'src-main/cli.ts'))) return undefined;
  try {
    return await import('./build.mjs');
  } catch (err) {
    // Only a missing esbuild means "no build tools here"; any other failure is a real error.
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && /esbuild/.test(String(err.message))) return undefined;
    throw err;
  }
}

const { upToDate } = await import('./cli-build.mjs');
const builder = upToDate(root, path.join(root, 'dist/cli/switchyard.inputs.json')) ? undefined : await loadBuilder();
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
