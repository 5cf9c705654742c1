// An esbuild plugin for the CLI bundle: modules that `serve` needs only once a request uses them
// are evaluated on their first use instead of at start-up.
//
// In a bundle, every module's top-level code runs when the bundle loads (in import order), and
// `import { Agent } from 'undici'` becomes `var import_undici = __toESM(require_undici())` in the
// importer's top-level code: a package runs (V8 compiles it, the code cache carries it, its objects
// fill the heap) as soon as anything imports it, whether a request ever needs it or not. esbuild
// defers a module's evaluation only when it is reached through `require()`. So the importers of a
// listed module get a small CommonJS stand-in instead, with the module's export names as getters
// that `require()` the real module on the first read; every use site reads the export as a
// property (`import_undici.Agent`, called as `(0, import_x.fn)()`) when it runs, so nothing changes
// but the moment of evaluation. A module whose export is read by another module's top-level code is
// still evaluated at start-up (then, and only then, is it needed).
//
// - packages (by name): `module.exports` must be a plain object of exports whose functions do not
//   use `this` (a function called as `stub.fn()` from CommonJS code gets the stand-in as `this`);
// - our own modules (by resolved path): ES modules with named exports only (no default export).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const NAMESPACE = 'lazy-module';

/** The stand-in's source: one getter per export name, all reading the real module (required once). */
export function standInSource(realPath, names) {
  return [
    `var real;`,
    `function load() { return real || (real = require(${JSON.stringify(realPath)})); }`,
    `var names = ${JSON.stringify(names)};`,
    `for (var i = 0; i < names.length; i++) (function (name) {`,
    `  Object.defineProperty(module.exports, name, { enumerable: true, get: function () { return load()[name]; } });`,
    `})(names[i]);`,
  ].join('\n');
}

/** A package's export names: its own enumerable properties; refused when a stand-in cannot replace it. */
export function packageExportNames(realPath) {
  const real = createRequire(realPath)(realPath);
  if (typeof real !== 'object' || real === null) throw new Error(`lazy-modules: ${realPath} exports a ${typeof real}, not an object of exports`);
  if (real.__esModule) throw new Error(`lazy-modules: ${realPath} is compiled ES module output (__esModule), not supported`);
  return Object.getOwnPropertyNames(real).filter((n) => Object.getOwnPropertyDescriptor(real, n)?.enumerable);
}

/** An ES module's export names, as esbuild reads them (types are not exports; `export *` followed). */
async function moduleExportNames(esbuild, realPath) {
  // Without `export *` the file alone lists them; with it, esbuild must follow the re-exports.
  const bundle = /^\s*export\s*\*/m.test(readFileSync(realPath, 'utf8'));
  const r = await esbuild.build({ entryPoints: [realPath], bundle, packages: 'external', write: false, metafile: true, format: 'esm', platform: 'node', logLevel: 'silent' });
  const names = Object.values(r.metafile.outputs)[0].exports;
  if (names.includes('default')) throw new Error(`lazy-modules: ${realPath} has a default export, not supported`);
  return names;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * esbuild plugin: every import/require of a package in `packages`, or of a file whose resolved path
 * matches one of `files` (regular expressions), gets the stand-in.
 */
export function lazyModules({ packages = [], files = [] }) {
  const byName = new RegExp(`^(${packages.map(escape).join('|') || '(?!)'})$`);
  return {
    name: 'lazy-modules',
    setup(b) {
      const standIn = async (a, matches) => {
        // The stand-in's own require of the real file is marked and resolves as usual.
        if (a.pluginData?.lazyReal) return undefined;
        const real = await b.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, importer: a.importer, pluginData: { lazyReal: true } });
        if (real.errors.length > 0) return { errors: real.errors };
        if (!matches(real.path)) return undefined;
        return { path: real.path, namespace: NAMESPACE, pluginData: { own: files.length > 0 && !byName.test(a.path) } };
      };
      if (packages.length > 0) b.onResolve({ filter: byName }, (a) => standIn(a, () => true));
      // Our own modules import each other by relative path (no extension, or a folder's index); a
      // quick look at where the path can lead skips the full resolution for all the others.
      const listed = (p) => files.some((re) => re.test(p.split(path.sep).join('/')));
      const mayBeListed = (a) => {
        if (a.importer.split(path.sep).includes('node_modules')) return false;
        const p = path.resolve(a.resolveDir, a.path);
        return [p, `${p}.ts`, `${p}.tsx`, path.join(p, 'index.ts')].some(listed);
      };
      if (files.length > 0) b.onResolve({ filter: /^\.\.?\// }, (a) => (mayBeListed(a) ? standIn(a, listed) : undefined));
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (a) => ({
        contents: standInSource(a.path, a.pluginData.own ? await moduleExportNames(b.esbuild, a.path) : packageExportNames(a.path)),
        loader: 'js',
        resolveDir: path.dirname(a.path),
      }));
    },
  };
}
