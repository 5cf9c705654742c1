import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as asar from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

/**
 * Packaging proof without the Electron binary: `electron-builder --dir` for Linux with
 * `electronDist` pointed at a stand-in folder, then the resulting app.asar is opened and checked.
 * Only what needs the real binary is switched off: fuses (they patch the binary), and rebuilding
 * native modules for Electron's ABI (it downloads Electron's headers).
 */
const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const builderYml = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & { deb: { depends: string[] } };

/** Packages only the renderer uses: Vite bundles them into dist/renderer, so they must not ship again. */
const RENDERER_ONLY = ['react', 'react-dom', 'recharts', '@radix-ui/react-dialog', '@radix-ui/react-tabs', 'i18next', 'react-i18next', 'zustand'];

let work: string;
let appDir: string;
let files: string[];

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

beforeAll(async () => {
  run(process.execPath, ['scripts/build.mjs']);
  if (!existsSync(path.join(root, 'dist/renderer/index.html'))) run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
  work = await mkdtemp(path.join(os.tmpdir(), 'sy-pack-'));
  const electronDist = path.join(work, 'electron-dist');
  await mkdir(electronDist);
  await writeFile(path.join(electronDist, 'electron'), '#!/bin/sh\necho stand-in for the Electron binary\n');
  await chmod(path.join(electronDist, 'electron'), 0o755);
  const { electronFuses: _fuses, ...shipped } = builderYml;
  const config = { ...shipped, electronDist, npmRebuild: false, directories: { ...(builderYml.directories as object), output: path.join(work, 'out') } };
  const configFile = path.join(work, 'electron-builder.yml');
  await writeFile(configFile, stringify(config));
  run(process.execPath, [require.resolve('electron-builder/cli.js'), '--dir', '--linux', '--x64', '--publish', 'never', '--config', configFile]);
  appDir = path.join(work, 'out/linux-unpacked/resources');
  files = asar.listPackage(path.join(appDir, 'app.asar'), { isPack: false }).map((f) => f.split(path.sep).join('/'));
}, 600_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const has = (p: string) => files.includes(p);
const unpacked = (p: string) => existsSync(path.join(appDir, 'app.asar.unpacked', p));

describe('the packaged app (electron-builder --dir)', () => {
  it('contains the main, preload and renderer bundles and a package.json whose main is the bundle', () => {
    for (const f of ['/dist/main/main.js', '/dist/preload/preload.cjs', '/dist/renderer/index.html', '/package.json']) expect(has(f), f).toBe(true);
    expect(files.some((f) => /^\/dist\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    const shipped = JSON.parse(asar.extractFile(path.join(appDir, 'app.asar'), 'package.json').toString()) as { main: string };
    expect(shipped.main).toBe('dist/main/main.js');
  });

  it('unpacks the native modules next to the archive', () => {
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('node_modules/keytar/package.json')).toBe(true);
    expect(files.filter((f) => f.endsWith('.node')).every((f) => unpacked(f.slice(1)))).toBe(true);
  });

  it('ships no renderer-only package (the Vite bundle already contains them)', () => {
    for (const name of RENDERER_ONLY) {
      expect(has(`/node_modules/${name}`), name).toBe(false);
      expect(pkg.dependencies, name).not.toHaveProperty([name]);
      expect(pkg.devDependencies, name).toHaveProperty([name]);
    }
  });

  it('ships every package the main bundle imports', async () => {
    const { buildMain } = (await import(path.join(root, 'scripts/build.mjs'))) as { buildMain: (out: string, o: { metafile: Record<string, unknown> }) => Promise<string> };
    const out = path.join(work, 'meta/main.js');
    const meta: { outputs?: Record<string, { imports: Array<{ path: string; external?: boolean }> }> } = {};
    await buildMain(out, { metafile: meta });
    const external = new Set(Object.values(meta.outputs!).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
    for (const spec of external) {
      if (spec.startsWith('node:') || spec === 'electron' || !/^[@a-z]/.test(spec) || require('node:module').builtinModules.includes(spec)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      expect(has(`/node_modules/${name}/package.json`) || unpacked(`node_modules/${name}/package.json`), `main imports ${spec}`).toBe(true);
    }
  });

  it('ships no tests, no sources and no source maps', () => {
    const bad = files.filter((f) => /\.map$|\.tsx?$|\.test\.[cm]?js$|^\/(test|src-main|src-shared|src-renderer|scripts)\//.test(f) || /^\/node_modules\/(@[^/]+\/)?[^/]+\/(test|tests|__tests__)\//.test(f));
    expect(bad).toEqual([]);
  });
});

describe('electron-builder.yml', () => {
  it('deb.depends keeps electron-builder’s default packages and adds ours', () => {
    // The defaults as electron-builder itself computes them (a `depends` list replaces them).
    const { default: FpmTarget } = require('app-builder-lib/out/targets/FpmTarget') as { default: { prototype: { getDefaultDepends(t: string): string[] } } };
    const defaults = FpmTarget.prototype.getDefaultDepends.call({}, 'deb');
    expect(defaults).toContain('libgtk-3-0');
    expect(builderYml.deb.depends).toEqual(expect.arrayContaining([...defaults, 'libsecret-1-0']));
  });
});
