#!/usr/bin/env node
/**
 * Bundles the Electron main process, the sandboxed preload and the CLI with esbuild.
 *   dist/main/main.js        ESM (package.json "type": "module"); npm packages stay external
 *                            (electron-builder ships node_modules; native ones are unpacked)
 *   dist/preload/preload.cjs CommonJS, as sandboxed preloads require; only `electron` is
 *                            external and the contract's channel names are baked in as
 *                            constants, so the bundle carries no zod and no contract code
 *   dist/cli/cli.js          ESM, `switchyard` headless entry (skipped if src-main/cli.ts is absent): a
 *                            small launcher (scripts/cli-launcher.mjs) that runs dist/cli/switchyard.cjs,
 *                            one minified CommonJS bundle with its pure-JS dependencies inside, through
 *                            V8's code cache (see cli-build.mjs for why)
 * The renderer is built by `vite build` (see package.json "build").
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliBundle, cliLauncher, inputsRecord } from './cli-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const r = (...p) => path.join(root, ...p);

/**
 * Load the contract in Node (bundled in memory, zod included) and read its channel lists:
 * what the preload may invoke and subscribe to.
 */
export async function contractChannels() {
  const out = await build({
    entryPoints: [r('src-shared/contract/index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const invoke = [...mod.invokeChannels].sort();
  const events = [...mod.eventChannels].sort();
  if (!invoke.length) throw new Error('the contract lists no invoke channels');
  return { invoke, events };
}

export async function buildPreload(outfile = r('dist/preload/preload.cjs')) {
  const channels = await contractChannels();
  await build({
    entryPoints: [r('src-main/shell/preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'chrome130',
    external: ['electron'],
    define: {
      __SWITCHYARD_INVOKE_CHANNELS__: JSON.stringify(channels.invoke),
      __SWITCHYARD_EVENT_CHANNELS__: JSON.stringify(channels.events),
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
  return { outfile, channels };
}

/** package.json's version, baked into the bundles (`__SWITCHYARD_VERSION__`, see src-main/cli/version.ts). */
export function packageVersion() {
  return JSON.parse(readFileSync(r('package.json'), 'utf8')).version;
}

/**
 * Build in memory, then replace each output file by rename: a process that starts the bundle
 * while another rebuilds it (parallel `npm run switchyard`, the test suite) never reads half a file.
 */
async function buildAtomically(options) {
  const result = await build({ ...options, write: false });
  for (const f of result.outputFiles) {
    mkdirSync(path.dirname(f.path), { recursive: true });
    // An unchanged output keeps its file (and the CLI's code cache made for it stays valid).
    if (existsSync(f.path) && readFileSync(f.path).equals(f.contents)) continue;
    const tmp = `${f.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  return result;
}

const nodeBundle = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are installed next to the app (and native ones cannot be bundled at all).
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Reports what stays external (tests check those are production dependencies).
  metafile: true,
  define: { __SWITCHYARD_VERSION__: JSON.stringify(packageVersion()) },
};

/** The Electron main process; `opts.metafile` receives esbuild's metafile, as for buildCli. */
export async function buildMain(outfile = r('dist/main/main.js'), opts = {}) {
  const result = await buildAtomically({ ...nodeBundle, entryPoints: [r('src-main/main.ts')], outfile, external: ['electron'] });
  if (opts.metafile) Object.assign(opts.metafile, result.metafile);
  return outfile;
}

/**
 * The `switchyard` CLI: `outfile` is the launcher, the bundle goes next to it as switchyard.cjs.
 * `opts.metafile` receives esbuild's metafile of the bundle (inputs, imports, externals).
 */
export async function buildCli(outfile = r('dist/cli/cli.js'), opts = {}) {
  const entry = r('src-main/cli.ts');
  if (!existsSync(entry)) return undefined;
  const bundle = path.join(path.dirname(outfile), 'switchyard.cjs');
  const copies = new Map();
  const result = await buildAtomically({ ...(await cliBundle(nodeBundle, copies)), absWorkingDir: root, entryPoints: [entry], outfile: bundle });
  if (opts.metafile) Object.assign(opts.metafile, result.metafile);
  for (const [from, to] of copies) writeIfChanged(path.join(path.dirname(outfile), to), readFileSync(from), 0o644);
  writeIfChanged(outfile, cliLauncher(packageVersion()), 0o755);
  writeIfChanged(path.join(path.dirname(outfile), 'switchyard.inputs.json'), inputsRecord(root, result.metafile), 0o644);
  return outfile;
}

function writeIfChanged(file, data, mode) {
  if (existsSync(file) && readFileSync(file).equals(Buffer.from(data))) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, file);
}

export async function buildAll() {
  const [preload, main, cli] = await Promise.all([buildPreload(), buildMain(), buildCli()]);
  return { preload: preload.outfile, main, cli };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const t0 = Date.now();
  buildAll().then(
    (out) => {
      for (const [k, v] of Object.entries(out)) if (v) process.stdout.write(`built ${k}: ${path.relative(root, v)}\n`);
      process.stdout.write(`done in ${Date.now() - t0} ms\n`);
    },
    (err) => {
      process.stderr.write(`build failed: ${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
