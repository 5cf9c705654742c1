/**
 * One facade (issue 15, point 5): the desktop shell and the UI bridge see the engine through one
 * surface, `Control` (src-main/engine/control/control.ts). Only the composition point that opens
 * the engine in-process (shell/open-engine.ts) loads the runtime and the config store.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph } from './layers';

const srcMain = path.resolve(__dirname, '../../src-main');
const graph = importGraph(srcMain);

describe('one Control surface', () => {
  it('the shell imports nothing from the engine but the Control interface', () => {
    const opener = new Set(['engine/control/control.ts', 'engine/runtime.ts', 'engine/config/store.ts', 'engine/config/paths.ts']);
    const offenders = graph
      .filter((e) => e.from.startsWith('shell/') && e.to.startsWith('engine/'))
      .filter((e) => e.to !== 'engine/control/control.ts' && !(e.from === 'shell/open-engine.ts' && opener.has(e.to)))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(offenders).toEqual([]);
  });

  it('the UI bridge serves the same Control (and nothing else of the engine but SSE framing)', () => {
    const bridge = graph.filter((e) => e.from === 'engine/management/ui-bridge.ts' && e.to.startsWith('engine/')).map((e) => e.to);
    expect(bridge.filter((t) => !t.startsWith('engine/control/') && !t.startsWith('engine/sse/'))).toEqual([]);
    expect(bridge.some((t) => t.startsWith('engine/control/'))).toBe(true);
  });

  it('the wrappers around it are gone', () => {
    const left = ['shell/engine-port.ts', 'shell/engine-adapter.ts', 'shell/desktop-engine.ts', 'engine/facade/engine-facade.ts'].filter((f) => existsSync(path.join(srcMain, f)));
    expect(left).toEqual([]);
  });
});
