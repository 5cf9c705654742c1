import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const { lazyModules } = (await import(path.resolve(import.meta.dirname, '../../../scripts/lazy-modules.mjs'))) as {
  lazyModules: (o: { packages?: string[]; files?: RegExp[] }) => import('esbuild').Plugin;
};

/**
 * The CLI bundle hands a package's importers a stand-in whose exports load the real package on
 * their first read: the bundle starts without evaluating it, and every export still behaves as the
 * real one (same functions, classes, objects; one evaluation).
 */
let dir: string;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** A package that records its own evaluation, imported ESM-style by our code and required by another package. */
function fixture(): void {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sy-lazy-'));
  write(
    'node_modules/heavy/index.js',
    `globalThis.__heavyLoads = (globalThis.__heavyLoads ?? 0) + 1;
     class Agent { constructor(o) { this.o = o; } }
     class TimeoutError extends Error {}
     module.exports = { Agent, errors: { TimeoutError }, request: (u) => 'got ' + u, table: { a: 1 } };`,
  );
  write('node_modules/heavy/package.json', '{"name":"heavy","main":"index.js"}');
  write('node_modules/user/index.js', `const heavy = require('heavy'); module.exports = { viaUser: (u) => heavy.request(u) };`);
  write('node_modules/user/package.json', '{"name":"user","main":"index.js"}');
  write('node_modules/fn-export/index.js', 'module.exports = function express() {};');
  write('node_modules/fn-export/package.json', '{"name":"fn-export","main":"index.js"}');
  write(
    'entry.ts',
    `import { Agent, errors, request } from 'heavy';
     import * as all from 'heavy';
     import { viaUser } from 'user';
     export const loadsAtStart = (globalThis as any).__heavyLoads ?? 0;
     export const use = () => ({ agent: new Agent({ x: 1 }), Agent, errors, request: request('u'), table: all.table, viaUser: viaUser('v'), real: require('heavy') });`,
  );
}

async function bundle(names: string[], entry = 'entry.ts', files: RegExp[] = []): Promise<string> {
  const out = path.join(dir, 'out.cjs');
  await build({ entryPoints: [path.join(dir, entry)], bundle: true, platform: 'node', format: 'cjs', outfile: out, plugins: [lazyModules({ packages: names, files })], logLevel: 'silent' });
  return out;
}

describe('lazy modules in the CLI bundle', () => {
  it('does not evaluate the package when the bundle loads, only at the first read of an export', async () => {
    fixture();
    const out = await bundle(['heavy']);
    const g = globalThis as { __heavyLoads?: number };
    delete g.__heavyLoads;
    const mod = createRequire(out)(out) as { loadsAtStart: number; use: () => Record<string, unknown> };
    expect(mod.loadsAtStart).toBe(0);
    expect(g.__heavyLoads).toBeUndefined();
    const used = mod.use() as { agent: { o: unknown }; Agent: new () => unknown; errors: { TimeoutError: unknown }; request: string; table: unknown; viaUser: string; real: Record<string, unknown> };
    expect(g.__heavyLoads).toBe(1);
    expect(used.agent).toBeInstanceOf(used.Agent);
    expect(used.agent.o).toEqual({ x: 1 });
    expect(used.request).toBe('got u');
    expect(used.viaUser).toBe('got v');
    expect(used.table).toEqual({ a: 1 });
    // The exports are the real package's own values, not copies or wrappers.
    expect(used.real.Agent).toBe(used.Agent);
    expect(used.real.errors).toBe(used.errors);
    mod.use();
    expect(g.__heavyLoads).toBe(1);
    delete g.__heavyLoads;
  });

  it('evaluates at start as before when the package is not listed', async () => {
    fixture();
    const out = await bundle([]);
    const g = globalThis as { __heavyLoads?: number };
    delete g.__heavyLoads;
    const mod = createRequire(out)(out) as { loadsAtStart: number };
    expect(mod.loadsAtStart).toBe(1);
    delete g.__heavyLoads;
  });

  it('refuses a package whose module.exports is a function (a stand-in object could not be called)', async () => {
    fixture();
    write('fn-entry.ts', `import f from 'fn-export'; export const x = f;`);
    await expect(bundle(['fn-export'], 'fn-entry.ts')).rejects.toThrow(/exports a function/);
  });

  it('defers one of our own ES modules the same way, with its exports as live values (schemas built on first use)', async () => {
    fixture();
    write(
      'src/schema.ts',
      `(globalThis as any).__schemaLoads = ((globalThis as any).__schemaLoads ?? 0) + 1;
       export const limits = { max: 3 };
       export function check(n: number): string { return n > limits.max ? 'too many' : 'ok'; }
       export type Check = typeof check;`,
    );
    write('src/decode.ts', `import { check, limits } from './schema'; export const decode = (n: number) => [check(n), limits.max] as const;`);
    write('own-entry.ts', `import { decode } from './src/decode'; export const loadsAtStart = (globalThis as any).__schemaLoads ?? 0; export { decode };`);
    const out = await bundle([], 'own-entry.ts', [/\/src\/schema\.ts$/]);
    const g = globalThis as { __schemaLoads?: number };
    delete g.__schemaLoads;
    const mod = createRequire(out)(out) as { loadsAtStart: number; decode: (n: number) => readonly [string, number] };
    expect(mod.loadsAtStart).toBe(0);
    expect(mod.decode(5)).toEqual(['too many', 3]);
    expect(mod.decode(1)).toEqual(['ok', 3]);
    expect(g.__schemaLoads).toBe(1);
    delete g.__schemaLoads;
  });

  it("lists only modules whose top level declares and does nothing else (deferring a module defers its side effects)", async () => {
    const ts = await import('typescript');
    const { CLI_LAZY } = (await import(path.resolve(import.meta.dirname, '../../../scripts/cli-build.mjs'))) as { CLI_LAZY: { files: RegExp[] } };
    const root = path.resolve(import.meta.dirname, '../../..');
    const sources = ['src-main', 'src-shared'].flatMap((d) => readdirSync(path.join(root, d), { recursive: true, encoding: 'utf8' }).map((f) => `/${d}/${f.split(path.sep).join('/')}`));
    const listed = sources.filter((f) => f.endsWith('.ts') && CLI_LAZY.files.some((re) => re.test(f)));
    expect(listed.length).toBeGreaterThan(10);
    const declarations = new Set([
      ts.SyntaxKind.ImportDeclaration,
      ts.SyntaxKind.ExportDeclaration,
      ts.SyntaxKind.VariableStatement,
      ts.SyntaxKind.FunctionDeclaration,
      ts.SyntaxKind.ClassDeclaration,
      ts.SyntaxKind.InterfaceDeclaration,
      ts.SyntaxKind.TypeAliasDeclaration,
      ts.SyntaxKind.EnumDeclaration,
    ]);
    for (const f of listed) {
      const file = ts.createSourceFile(f, readFileSync(path.join(root, f), 'utf8'), ts.ScriptTarget.Latest, true);
      const others = file.statements.filter((st) => !declarations.has(st.kind)).map((st) => st.getText(file).slice(0, 60));
      expect(others, f).toEqual([]);
    }
  });
});
