import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

type Edit = { file: RegExp; from: string; to: string };
const { sourceEdits, CLI_SOURCE_EDITS, UNDICI_HTTP2_CONSTANTS } = (await import(path.resolve(import.meta.dirname, '../../../scripts/cli-source-edits.mjs'))) as {
  sourceEdits: (edits: Edit[]) => Plugin;
  CLI_SOURCE_EDITS: Edit[];
  UNDICI_HTTP2_CONSTANTS: Record<string, string | number>;
};
const root = path.resolve(import.meta.dirname, '../../..');

/** undici bundled as the CLI bundles it (with the edits), as a CommonJS file. */
async function bundledUndici(): Promise<string> {
  writeFileSync(path.join(dir, 'entry.js'), 'module.exports = require("undici");\n');
  const out = path.join(dir, 'undici.cjs');
  await build({ entryPoints: [path.join(dir, 'entry.js')], nodePaths: [path.join(root, 'node_modules')], bundle: true, platform: 'node', format: 'cjs', outfile: out, plugins: [sourceEdits(CLI_SOURCE_EDITS)], logLevel: 'silent' });
  return out;
}

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
    const out = await bundledUndici();
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

  it('loads undici without node:http2, whose constants it reads as the same values, and speaks HTTP/2 all the same', async () => {
    const clientH2 = readFileSync(path.join(root, 'node_modules/undici/lib/dispatcher/client-h2.js'), 'utf8');
    const destructured = /const \{\s*constants: \{([^}]*)\}\s*\} = http2/.exec(clientH2)?.[1].split(',').map((n) => n.trim()).filter(Boolean);
    expect(destructured?.sort()).toEqual(Object.keys(UNDICI_HTTP2_CONSTANTS).sort());
    for (const [name, value] of Object.entries(UNDICI_HTTP2_CONSTANTS)) expect(value, name).toBe((http2.constants as Record<string, unknown>)[name]);

    dir = mkdtempSync(path.join(os.tmpdir(), 'sy-edits-'));
    const out = await bundledUndici();
    // A fresh process: this one has node:http2 loaded already.
    const script = `
      const undici = require(${JSON.stringify(out)});
      const before = process.moduleLoadList.includes('NativeModule http2');
      const server = require('node:http2').createServer((req, res) => res.end('h2 ' + req.httpVersion));
      server.listen(0, '127.0.0.1', async () => {
        const client = new undici.H2CClient('http://127.0.0.1:' + server.address().port);
        const res = await client.request({ path: '/', method: 'GET' });
        console.log(JSON.stringify({ before, status: res.statusCode, body: await res.body.text() }));
        await client.close(); server.close();
      });`;
    const got = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { before: boolean; status: number; body: string };
    expect(got).toEqual({ before: false, status: 200, body: 'h2 2.0' });
  });
});
