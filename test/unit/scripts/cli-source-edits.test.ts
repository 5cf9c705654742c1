import { build, type Plugin } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

type Edit = { file: RegExp; from: string; to: string };
const { sourceEdits, CLI_SOURCE_EDITS } = (await import(path.resolve(import.meta.dirname, '../../../scripts/cli-build.mjs'))) as {
  sourceEdits: (edits: Edit[]) => Plugin;
  CLI_SOURCE_EDITS: Edit[];
};

/**
 * The CLI bundle edits a few exact lines of bundled packages for start-up cost. An edit that no
 * longer applies fails the build instead of shipping the package's code unedited or half-edited.
 */
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(entry: string, edits: Edit[]): Promise<string> {
  const out = path.join(dir, 'out.cjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, plugins: [sourceEdits(edits)], logLevel: 'silent' });
  return out;
}

describe('source edits in the CLI bundle', () => {
  it('replaces the one occurrence in the matching file', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sy-edits-'));
    writeFileSync(path.join(dir, 'dep.js'), 'exports.value = "old";\n');
    writeFileSync(path.join(dir, 'entry.js'), 'module.exports = require("./dep.js").value;\n');
    const out = await bundle(path.join(dir, 'entry.js'), [{ file: /dep\.js$/, from: '"old"', to: '"new"' }]);
    expect(createRequire(out)(out)).toBe('new');
  });

  it('fails the build when the text is missing, appears twice, or no bundled file matches', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sy-edits-'));
    writeFileSync(path.join(dir, 'dep.js'), 'exports.a = "old"; exports.b = "old";\n');
    writeFileSync(path.join(dir, 'entry.js'), 'module.exports = require("./dep.js");\n');
    const entry = path.join(dir, 'entry.js');
    await expect(bundle(entry, [{ file: /dep\.js$/, from: '"gone"', to: '"new"' }])).rejects.toThrow(/no longer has exactly one/);
    await expect(bundle(entry, [{ file: /dep\.js$/, from: '"old"', to: '"new"' }])).rejects.toThrow(/no longer has exactly one/);
    await expect(bundle(entry, [{ file: /other\.js$/, from: '"old"', to: '"new"' }])).rejects.toThrow(/no bundled file matches/);
  });

  it("loads undici without reading globalThis.Headers, and undici's cookie helpers still accept only Headers", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sy-edits-'));
    writeFileSync(path.join(dir, 'entry.js'), 'module.exports = require("undici");\n');
    const root = path.resolve(import.meta.dirname, '../../..');
    const out = path.join(dir, 'out.cjs');
    await build({ entryPoints: [path.join(dir, 'entry.js')], nodePaths: [path.join(root, 'node_modules')], bundle: true, platform: 'node', format: 'cjs', outfile: out, plugins: [sourceEdits(CLI_SOURCE_EDITS)], logLevel: 'silent' });
    const own = Object.getOwnPropertyDescriptor(globalThis, 'Headers');
    let reads = 0;
    Object.defineProperty(globalThis, 'Headers', { configurable: true, get: () => (reads++, own?.value ?? own?.get?.call(globalThis)) });
    try {
      const undici = createRequire(out)(out) as typeof import('undici');
      expect(reads).toBe(0);
      const headers = new undici.Headers({ cookie: 'a=1; b=2' });
      expect(undici.getCookies(headers)).toEqual({ a: '1', b: '2' });
      expect(reads).toBe(1);
      expect(() => undici.getCookies({} as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_THIS' }));
    } finally {
      if (own) Object.defineProperty(globalThis, 'Headers', own);
    }
  });
});
