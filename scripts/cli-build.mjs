// How the `switchyard` CLI is bundled (used by scripts/build.mjs).
//
// Cold start of `serve` is mostly Node reading, compiling and evaluating JavaScript: resolving and
// loading ~200 files of express, undici, zod, yaml… one by one cost ~250 ms, compiling a 4 MB ESM
// bundle another ~130 ms. So the CLI is one minified CommonJS file with its pure-JS dependencies
// inside, which scripts/cli-launcher.mjs compiles through V8's code cache (CommonJS, because only
// vm.Script takes a cache on Node 20; ES modules need the experimental vm modules).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Left outside the bundle: native addons (they load a .node file next to their package),
 * and big optional packages the server loads only when a feature asks for them (OpenTelemetry
 * when tracing is configured, pg for the team store, the tokenizer's tables for a token count).
 */
export const CLI_EXTERNAL = ['better-sqlite3', 'keytar', 'pg', 'gpt-tokenizer', '@opentelemetry/*'];

/**
 * Evaluated on first use, not at start-up (see lazy-modules.mjs): undici (upstream calls), mime-types
 * (its ~2,500-entry mime-db tables; only Express's responses read them), and modules of zod schemas
 * that no start-up code reads: each wire format's and media endpoint's (built when a request first
 * needs that format), the UI contract and its domain types (on the first UI call), usage export and
 * rows, auth files, the Responses WebSocket's messages, the team store's envelopes.
 */
export const CLI_LAZY = {
  packages: ['undici', 'mime-types'],
  // Only modules no start-up code reads (checked against a start of `serve`: listing one that is
  // read at start-up changes nothing but adds a getter to each use).
  files: [
    /\/src-main\/engine\/protocols\/[^/]+\/schema\.ts$/,
    /\/src-main\/engine\/media\/[^/]+-schema\.ts$/,
    /\/src-main\/engine\/usage\/(transfer|rows)\.ts$/,
    /\/src-main\/engine\/accounts\/auth-file\.ts$/,
    /\/src-main\/engine\/server\/responses-websocket\/messages\.ts$/,
    /\/src-main\/engine\/team\/crypto\/envelope\.ts$/,
    /\/src-shared\/contract\/index\.ts$/,
    /\/src-shared\/domain\/(?!index\.ts$)[^/]+\.ts$/,
  ],
};

/**
 * Data files of packages that stay files next to the bundle (dist/cli/<dir>/), required from there
 * where the package required them, on first use: bytes in the bundle cost every start (reading and
 * copying the source, ~9 ms per MB here) whether they run or not. iconv-lite's double-byte tables
 * (Shift_JIS, GBK, Big5, EUC-KR…; ~400 KB of the bundle, as JavaScript) are read on the first
 * request body in such a charset; mime-db's table (~150 KB) when Express first sets a response's
 * type from a file name (mime-types is evaluated on first use, see CLI_LAZY). Node parses a
 * required .json file as the bundle's copy of it was, and it is not in the code cache either.
 */
export const CLI_DATA_FILES = [
  { importer: 'iconv-lite/encodings/dbcs-data.js', request: /^\.\/tables\/[\w-]+\.json$/, dir: 'iconv-tables' },
  { importer: 'mime-db/index.js', request: /^\.\/db\.json$/, dir: 'mime-db' },
];

/** esbuild plugin: such requires become `./<dir>/<name>`; `copies` collects [source, path next to the bundle]. */
export function dataFiles(copies) {
  return {
    name: 'data-files',
    setup(b) {
      for (const spec of CLI_DATA_FILES) {
        b.onResolve({ filter: spec.request }, (a) => {
          if (!a.importer.split(path.sep).join('/').endsWith(`/node_modules/${spec.importer}`)) return undefined;
          const target = `./${spec.dir}/${path.basename(a.path)}`;
          const source = path.join(a.resolveDir, a.path);
          // Two installed copies of a package (different versions) would need a folder each.
          for (const [other, to] of copies) if (to === target && other !== source) throw new Error(`data-files: ${other} and ${source} both go to ${target}`);
          copies.set(source, target);
          return { path: target, external: true };
        });
      }
    },
  };
}

/**
 * ws's optional native speed-ups, not dependencies of ours: ws requires them inside try/catch and
 * falls back to JavaScript. In the bundle they resolve to a module that throws as a missing one does.
 */
const OPTIONAL_ABSENT = /^(bufferutil|utf-8-validate)$/;
const optionalAbsent = {
  name: 'optional-absent',
  setup(b) {
    b.onResolve({ filter: OPTIONAL_ABSENT }, (a) => ({ path: a.path, namespace: 'optional-absent' }));
    b.onLoad({ filter: /.*/, namespace: 'optional-absent' }, (a) => ({
      contents: `throw Object.assign(new Error("Cannot find module '${a.path}'"), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

/**
 * esbuild options for dist/cli/switchyard.cjs on top of the shared Node options; `copies` receives
 * the data files to put next to it (see CLI_DATA_FILES).
 */
export async function cliBundle(nodeBundle, copies = new Map()) {
  const { lazyModules } = await import('./lazy-modules.mjs');
  const { CLI_SOURCE_EDITS, sourceEdits } = await import('./cli-source-edits.mjs');
  const { packages: _allExternal, ...base } = nodeBundle;
  return {
    ...base,
    format: 'cjs',
    external: CLI_EXTERNAL,
    plugins: [optionalAbsent, dataFiles(copies), lazyModules(CLI_LAZY), sourceEdits(CLI_SOURCE_EDITS), asciiOnly],
    minify: true,
    legalComments: 'none',
    // `import()` of an external becomes require(): the launcher runs the bundle as a vm.Script,
    // where a dynamic import would need the experimental vm modules.
    supported: { 'dynamic-import': false },
    // The file is CommonJS's module wrapper around the bundle, a function expression: the launcher
    // hands the file's text to vm.Script as it is (no wrapping that would copy the 2–3 MB source
    // again; V8 skips the entry's `#!` line). Sources use import.meta.url (paths next to the bundle,
    // createRequire); in CommonJS that is the file's URL.
    banner: { js: "(function (exports, require, module, __filename, __dirname) {var __switchyard_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    footer: { js: '})' },
    define: { ...base.define, 'import.meta.url': '__switchyard_import_meta_url' },
  };
}

/**
 * The launcher reads the bundle as latin1 (one copy, a one-byte string for V8), so every byte must
 * be ASCII: esbuild escapes non-ASCII characters in strings but leaves them in regular expression
 * literals, where a UTF-8 "µ" would be read as the two characters "Âµ" and the built CLI would match
 * other text than the sources. Such a character must be written as a \u escape.
 */
export const asciiOnly = {
  name: 'ascii-only',
  setup(build) {
    build.onEnd((result) => {
      for (const f of result.outputFiles ?? []) {
        if (!f.path.endsWith('.cjs')) continue;
        const at = f.contents.findIndex((b) => b > 0x7f);
        if (at < 0) continue;
        const around = Buffer.from(f.contents.subarray(Math.max(0, at - 40), at + 40)).toString('utf8');
        throw new Error(`${path.basename(f.path)} has a non-ASCII byte at offset ${at} (near ${JSON.stringify(around)}); write the character as a \\u escape in the source (the launcher reads the bundle as latin1)`);
      }
    });
  },
};

/** Files a CLI build reads besides the bundle's own sources (options, launcher, version, installed packages). */
const BUILD_FILES = ['scripts/build.mjs', 'scripts/cli-build.mjs', 'scripts/lazy-modules.mjs', 'scripts/cli-source-edits.mjs', 'scripts/cli-launcher.mjs', 'package.json', 'package-lock.json'];

/**
 * What the bundle was built from, with modification times (dist/cli/switchyard.inputs.json):
 * `npm run serve` skips the rebuild (and loading esbuild into the server's process) when nothing
 * changed since (upToDate in scripts/run-cli.mjs reads it). Paths are relative to `root`.
 */
export function inputsRecord(root, metafile) {
  // Installed packages change with package-lock.json, so their files need no check of their own.
  const files = [...Object.keys(metafile.inputs).filter((f) => !f.includes(':') && !f.includes('node_modules/')), ...BUILD_FILES];
  return JSON.stringify(files.map((f) => [f, statSync(path.resolve(root, f)).mtimeMs]));
}

/** dist/cli/cli.js: the launcher with the version it was built with (`switchyard --version` reads the bundle's). */
export function cliLauncher(version) {
  return readFileSync(path.join(here, 'cli-launcher.mjs'), 'utf8').replace('__SWITCHYARD_VERSION__', JSON.stringify(version));
}
