import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionView, root } from './production-view';

/**
 * What ships is what runs: the esbuild bundle of the CLI, started through package.json's `bin`
 * and through `npm run`'s runner, from an install without devDependencies.
 */
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

let view: string;
let home: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // Build the bundle the way `npm test` / setup.sh do, then copy it into a production-only checkout.
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  view = await productionView({ dist: ['dist/cli'] });
  home = await mkdtemp(path.join(os.tmpdir(), 'sy-prod-home-'));
}, 60_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rm(view, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

function run(cwd: string, args: string[], input = '') {
  return spawnSync(process.execPath, args, { cwd, input, encoding: 'utf8', env: { ...process.env, SWITCHYARD_HOME: home, npm_package_version: '' }, timeout: 30_000 });
}

describe('the shipped CLI', () => {
  it('package.json bin points at an executable file with a node shebang', () => {
    const bin = path.join(root, pkg.bin.switchyard);
    expect(existsSync(bin)).toBe(true);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    accessSync(bin, constants.X_OK);
  });

  it('the bundle is ASCII: the launcher reads it as latin1, so every character is the sources\' own', () => {
    const bytes = readFileSync(path.join(root, 'dist/cli/switchyard.cjs'));
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1);
  });

  it('the view cannot resolve devDependencies (the premise of the tests below)', () => {
    const r = run(view, ['-e', "import('esbuild').then(() => console.log('found'), (e) => console.log(e.code))"]);
    expect(r.stdout.trim()).toBe('ERR_MODULE_NOT_FOUND');
  }, 30_000);

  it('everything the bundle leaves external is a Node builtin or a production dependency', async () => {
    const { buildCli } = (await import(path.join(root, 'scripts/build.mjs'))) as { buildCli: (out: string, o: { metafile: Record<string, unknown> }) => Promise<string> };
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'sy-meta-')), 'cli.js');
    const meta: { outputs?: Record<string, { imports: Array<{ path: string; external?: boolean }> }> } = {};
    await buildCli(out, { metafile: meta });
    await rm(path.dirname(out), { recursive: true, force: true });
    const external = new Set(Object.values(meta.outputs!).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
    expect(external.size).toBeGreaterThan(3);
    const builtins = new Set(builtinModules);
    const { CLI_DATA_FILES } = (await import(path.join(root, 'scripts/cli-build.mjs'))) as { CLI_DATA_FILES: Array<{ dir: string }> };
    for (const spec of external) {
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      // A package's data file the build puts next to the bundle (shipped with it in dist/cli).
      if (spec.startsWith('./')) {
        expect(CLI_DATA_FILES.map((f) => f.dir)).toContain(spec.split('/')[1]);
        expect(existsSync(path.join(view, 'dist/cli', spec)), spec).toBe(true);
        continue;
      }
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      expect(pkg.dependencies, `bundle imports ${spec}`).toHaveProperty([name]);
    }
  }, 30_000);

  it('bin/switchyard.js --version prints the version baked in at build time', () => {
    const r = run(view, [pkg.bin.switchyard, '--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`switchyard ${pkg.version}\n`);
    expect(readFileSync(path.join(view, 'dist/cli/cli.js'), 'utf8')).toContain(JSON.stringify(pkg.version));
  }, 30_000);

  it('every subcommand module is inside the bundle (no import the bundle cannot resolve)', () => {
    for (const args of [['login', 'claude', '--no-browser', '--callback-port', 'x'], ['accounts', '--json'], ['import'], ['config', 'check']]) {
      const r = run(view, [pkg.bin.switchyard, ...args]);
      expect(r.stderr).not.toMatch(/Module not found|Cannot find module|ERR_MODULE_NOT_FOUND/);
      expect([0, 2]).toContain(r.status);
    }
    const accounts = run(view, [pkg.bin.switchyard, 'accounts', '--json']);
    expect(JSON.parse(accounts.stdout)).toEqual([]);
  }, 90_000);

  it('npm run serve’s runner serves from the built files without devDependencies', async () => {
    expect(pkg.scripts.serve).toBe('node scripts/run-cli.mjs serve');
    const fresh = path.join(home, 'fresh');
    const child = spawn(process.execPath, ['scripts/run-cli.mjs', 'serve', '--port', '0'], { cwd: view, env: { ...process.env, SWITCHYARD_HOME: fresh }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => /next:/.test(out) && resolve());
      void exited.then(() => reject(new Error(`serve exited: ${out} ${err}`)));
    });
    const lines = out.trim().split('\n');
    const url = /^Switchyard listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0])![1];
    expect(lines.slice(1)).toEqual([
      `  config:  ${path.join(fresh, 'config.yaml')} (created with the defaults)`,
      `  API:     ${url}/v1 (OpenAI), ${url} (Claude, Gemini)`,
      '  panel:   not built in this install (npm run build builds it)',
      '  next:    no accounts yet; sign in with `switchyard login <provider>` (npm run switchyard -- login claude), import with `switchyard import <dir>`, or add API keys to the config file',
    ]);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);

  it('without a bundle and without esbuild, the runner says what to do instead of a stack trace', async () => {
    const bare = await productionView({ dist: [] });
    try {
      const r = run(bare, ['scripts/run-cli.mjs', 'serve']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^switchyard: the CLI is not built \(dist\/cli\/cli\.js is missing\) and esbuild, a devDependency, is not installed\.\nRun `bash scripts\/setup\.sh`/);
      const bin = run(bare, [pkg.bin.switchyard, '--version']);
      expect(bin.status).toBe(1);
      expect(bin.stderr).toMatch(/dist\/cli\/cli\.js is missing; build it with `node scripts\/build\.mjs`/);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  }, 60_000);
});
