/**
 * The layers inside the engine (issue 15, point 7), checked over the real import graph:
 *   protocols import nothing above the IR; providers nothing from pipeline/ or routing/;
 *   routing nothing from pipeline/; the server reaches protocols and providers only through
 *   their registries (protocols/index.ts, providers/index.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importGraph, under, violations, type Edge, type LayerRule } from './layers';

const engineRoot = path.resolve(__dirname, '../../src-main/engine');

/** What a wire format may build on: the IR and the generic byte/SSE/log helpers below it. */
const belowIr = under('protocols/', 'ir/', 'sse/', 'util/', 'log/');
/** Imports that leave the engine (src-shared types) are not a layer question. */
const outside = (target: string) => target.startsWith('../');

const ENGINE_RULES: LayerRule[] = [
  { name: 'protocols import nothing above ir/', layer: 'protocols/', forbids: (t) => !outside(t) && !belowIr(t) },
  { name: 'providers import nothing from pipeline/ or routing/', layer: 'providers/', forbids: under('pipeline/', 'routing/') },
  { name: 'routing imports nothing from pipeline/', layer: 'routing/', forbids: under('pipeline/') },
  {
    name: 'server reaches protocols and providers only through their registries',
    layer: 'server/',
    forbids: (t) => under('protocols/', 'providers/')(t) && t !== 'protocols/index.ts' && t !== 'providers/index.ts',
  },
];


const key = (e: Edge) => `${e.from} -> ${e.to}`;
const graph = importGraph(engineRoot);
const found = violations(graph, ENGINE_RULES);

describe('engine layers (real import graph)', () => {
  it('the graph is the real one: it sees the registries and the engine composition', () => {
    expect(graph.some((e) => e.from === 'engine-composition.ts' && e.to === 'protocols/index.ts')).toBe(true);
    expect(graph.filter((e) => e.from.startsWith('protocols/')).length).toBeGreaterThan(20);
  });

  it.each(ENGINE_RULES.map((r) => [r.name] as const))('%s', (name) => {
    const offenders = found.filter((v) => v.rule === name).map(key);
    expect(offenders).toEqual([]);
  });

});

describe('the layer checker itself', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function tree(files: Record<string, string>): string {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sy-layers-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  const clean = {
    'ir/parts.ts': 'export type Part = { text: string };\n',
    'protocols/index.ts': "export * from './openai/index';\n",
    'protocols/openai/index.ts': "import type { Part } from '../../ir/parts';\nexport const decode = (p: Part) => p;\n",
    'providers/index.ts': "export const providers = {};\n",
    'pipeline/generate.ts': "import { decode } from '../protocols';\nexport const run = decode;\n",
    'routing/session.ts': "import { providers } from '../providers';\nexport const begin = () => providers;\n",
    'server/app.ts': "import { decode } from '../protocols';\nimport { providers } from '../providers';\nexport { decode, providers };\n",
  };

  it('passes a tree that keeps the layers', () => {
    expect(violations(importGraph(tree(clean)), ENGINE_RULES)).toEqual([]);
  });

  it('fails when a forbidden import is added, in every form the compiler knows', () => {
    const root = tree({
      ...clean,
      // A protocol reaching up into the pipeline (type-only imports count too).
      'protocols/openai/index.ts': "import type { run } from '../../pipeline/generate';\nexport const decode = (p: unknown) => p as unknown as typeof run;\n",
      // A provider re-exporting from routing, and one loading the pipeline lazily.
      'providers/index.ts': "export { begin } from '../routing/session';\nexport const providers = {};\nexport const later = () => import('../pipeline/generate');\n",
      // Routing requiring the pipeline.
      'routing/session.ts': "const g = require('../pipeline/generate');\nexport const begin = () => g;\n",
      // The server bypassing the protocol registry; a commented-out import is not an import.
      'server/app.ts': "// import { nope } from '../pipeline/generate';\nimport { decode } from '../protocols/openai/index';\nexport { decode };\n",
    });
    expect(violations(importGraph(root), ENGINE_RULES).map((v) => `${v.rule}: ${v.from} -> ${v.to}`)).toEqual([
      'protocols import nothing above ir/: protocols/openai/index.ts -> pipeline/generate.ts',
      'providers import nothing from pipeline/ or routing/: providers/index.ts -> routing/session.ts',
      'providers import nothing from pipeline/ or routing/: providers/index.ts -> pipeline/generate.ts',
      'routing imports nothing from pipeline/: routing/session.ts -> pipeline/generate.ts',
      'server reaches protocols and providers only through their registries: server/app.ts -> protocols/openai/index.ts',
    ]);
  });
});
