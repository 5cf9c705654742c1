/**
 * The engine's layer rules as a small function over the real import graph: every file's
 * imports read with the TypeScript compiler's own pre-processor (`ts.preProcessFile`, which
 * sees `import`, `export … from`, `import type`, dynamic `import()` and `require`), resolved to
 * files, then checked against rules. No regexes over source text.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import: both ends relative to the checked root, `/`-separated. */
export interface Edge {
  from: string;
  to: string;
  /** As written in the source. */
  specifier: string;
}

export interface LayerRule {
  /** What the rule says (shown with every violation). */
  name: string;
  /** The files the rule constrains: a folder (`protocols/`) or a file, relative to the root. */
  layer: string;
  /** True when an import of `target` (root-relative) from this layer breaks the rule. */
  forbids(target: string): boolean;
}

export interface Violation extends Edge {
  rule: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** `./x` → `x.ts`, `x.tsx`, `x/index.ts` (bundler resolution); undefined when nothing is there. */
function resolveFile(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.js$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** Every relative import of every source file under `root`, resolved (bare packages are skipped). */
export function importGraph(root: string): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const imported of info.importedFiles) {
      const specifier = imported.fileName;
      if (!specifier.startsWith('.')) continue;
      const target = resolveFile(file, specifier) ?? path.resolve(path.dirname(file), specifier);
      edges.push({ from: rel(root, file), to: rel(root, target), specifier });
    }
  }
  return edges;
}

const inLayer = (file: string, layer: string) => (layer.endsWith('/') ? file.startsWith(layer) : file === layer);

/** The imports that break a rule, each with the rule's name. */
export function violations(edges: readonly Edge[], rules: readonly LayerRule[]): Violation[] {
  const out: Violation[] = [];
  for (const e of edges) {
    for (const r of rules) if (inLayer(e.from, r.layer) && r.forbids(e.to)) out.push({ ...e, rule: r.name });
  }
  return out;
}

/** `a/` or `a/b.ts` prefixes, as a predicate over root-relative targets. */
export const under =
  (...prefixes: string[]) =>
  (target: string): boolean =>
    prefixes.some((p) => inLayer(target, p));
