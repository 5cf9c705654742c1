import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const { asciiOnly } = (await import(path.resolve(import.meta.dirname, '../../../scripts/cli-build.mjs'))) as { asciiOnly: Plugin };
const root = path.resolve(import.meta.dirname, '../../..');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sy-ascii-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Bundle `source` the way the CLI is bundled (minified CommonJS, in memory) with the ASCII check. */
async function bundle(source: string): Promise<string> {
  writeFileSync(path.join(dir, 'entry.js'), source);
  const r = await build({ entryPoints: [path.join(dir, 'entry.js')], bundle: true, platform: 'node', format: 'cjs', minify: true, outfile: path.join(dir, 'out.cjs'), write: false, plugins: [asciiOnly], logLevel: 'silent' });
  return r.outputFiles[0]!.text;
}

/**
 * The launcher reads the CLI bundle as latin1, so a UTF-8 character in it would be two other
 * characters at run time. esbuild escapes strings, not regular expression literals: the build
 * refuses a bundle with any non-ASCII byte, naming where it is.
 */
describe('the CLI bundle is ASCII', () => {
  it('refuses a regular expression with a literal non-ASCII character', async () => {
    await expect(bundle('module.exports = /(ms|µs)/.test(process.argv[2]);\n')).rejects.toThrow(/non-ASCII byte at offset \d+ \(near ".*µs.*"\); write the character as a \\u escape/);
  });

  it('takes the same expression written with an escape, which matches the real character', async () => {
    const out = await bundle('module.exports = /^(ms|\\u00b5s)$/.test(process.argv[2]);\n');
    writeFileSync(path.join(dir, 'run.cjs'), `${out}\nprocess.stdout.write(String(module.exports));\n`);
    expect(execFileSync(process.execPath, [path.join(dir, 'run.cjs'), '\u00b5s'], { encoding: 'utf8' })).toBe('true');
  });

  it('strings with non-ASCII characters are escaped by esbuild and pass', async () => {
    expect(await bundle('module.exports = "µs — ok";\n')).toMatch(/\\xB5s \\u2014 ok|\\u00B5s \\u2014 ok/i);
  });
});
