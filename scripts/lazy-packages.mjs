// An esbuild plugin for the CLI bundle: packages that `serve` needs only once a request uses them
// are evaluated on their first use instead of at start-up.
//
// In a bundle, `import { Agent } from 'undici'` becomes `var import_undici = __toESM(require_undici())`
// in the importing module's top-level code, so a CommonJS package runs (and V8 compiles it, and the
// code cache carries it) as soon as anything imports it, whether a request ever needs it or not.
// Every use site reads the export as a property of that object (`import_undici.Agent`) when it
// runs, so handing the importers a stand-in object whose properties load the real package on their
// first read defers it without a change to any source: the stand-in has the real package's export
// names (read at build time) as getters onto the one real module. Only for packages whose
// `module.exports` is a plain object of exports whose functions do not use `this` (a function
// called as `stub.fn()` gets the stand-in as `this`).
import { createRequire } from 'node:module';
import path from 'node:path';

const NAMESPACE = 'lazy-package';

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

/** What the stand-in must offer: the real package's own property names, refused when it cannot stand in. */
export function exportNames(realPath) {
  const real = createRequire(realPath)(realPath);
  if (typeof real !== 'object' || real === null) throw new Error(`lazy-packages: ${realPath} exports a ${typeof real}, not an object of exports`);
  if (real.__esModule) throw new Error(`lazy-packages: ${realPath} is compiled ES module output (__esModule), not supported`);
  return Object.getOwnPropertyNames(real).filter((n) => Object.getOwnPropertyDescriptor(real, n)?.enumerable);
}

/** esbuild plugin: every import/require of one of `names` (from anywhere in the bundle) gets the stand-in. */
export function lazyPackages(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-packages',
    setup(b) {
      b.onResolve({ filter }, async (a) => {
        // The stand-in's own require of the real file is an absolute path (not matched here).
        if (a.pluginData?.lazyReal) return undefined;
        const real = await b.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, importer: a.importer, pluginData: { lazyReal: true } });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: NAMESPACE };
      });
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (a) => ({
        contents: standInSource(a.path, exportNames(a.path)),
        loader: 'js',
        resolveDir: path.dirname(a.path),
      }));
    },
  };
}
