import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const { inputsRecord } = (await import(path.resolve(import.meta.dirname, '../../../scripts/cli-build.mjs'))) as {
  inputsRecord: (root: string, metafile: { inputs: Record<string, unknown> }) => string;
};
// `npm run serve`'s runner checks the record itself (importing it does not run it).
const { upToDate } = (await import(path.resolve(import.meta.dirname, '../../../scripts/run-cli.mjs'))) as {
  upToDate: (root: string, recordFile: string) => boolean;
};

/** `npm run serve` rebuilds the CLI only when a file the last build read has changed since. */
let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function checkout(): string {
  root = mkdtempSync(path.join(os.tmpdir(), 'sy-cli-build-'));
  for (const f of ['src-main/cli.ts', 'src-main/cli/main.ts', 'scripts/build.mjs', 'scripts/cli-build.mjs', 'scripts/lazy-modules.mjs', 'scripts/cli-source-edits.mjs', 'scripts/cli-launcher.mjs', 'package.json', 'package-lock.json']) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), '// x\n');
  }
  return root;
}

const metafile = { inputs: { 'src-main/cli.ts': {}, 'src-main/cli/main.ts': {}, '../node_modules/yaml/index.js': {}, 'optional-absent:bufferutil': {} } };

describe('the CLI build record', () => {
  it('is up to date until a source, a build script or the lockfile changes', () => {
    const dir = checkout();
    const record = path.join(dir, 'inputs.json');
    writeFileSync(record, inputsRecord(dir, metafile));
    expect(upToDate(dir, record)).toBe(true);
    for (const f of ['src-main/cli/main.ts', 'scripts/cli-launcher.mjs', 'package-lock.json']) {
      writeFileSync(record, inputsRecord(dir, metafile));
      const later = new Date(Date.now() + 60_000);
      utimesSync(path.join(dir, f), later, later);
      expect(upToDate(dir, record), f).toBe(false);
    }
  });

  it('is not up to date without a record, or when a recorded file is gone', () => {
    const dir = checkout();
    const record = path.join(dir, 'inputs.json');
    expect(upToDate(dir, record)).toBe(false);
    writeFileSync(record, inputsRecord(dir, metafile));
    rmSync(path.join(dir, 'src-main/cli.ts'));
    expect(upToDate(dir, record)).toBe(false);
  });
});
