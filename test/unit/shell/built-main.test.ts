/**
 * The esbuild bundle of main.ts (ESM, npm packages external) boots under plain Node with the
 * Electron fake standing in for `electron`: the engine starts in-process and the tray says so.
 * This catches what running the sources cannot: bundling, ESM/CJS interop of externals.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
// Inside the repo so the bundle's bare imports resolve from node_modules; gitignored.
const dir = path.join(root, 'test-output', `shell-built-main-${process.pid}`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('built main bundle', () => {
  it('boots the engine in-process and shows it in the tray', async () => {
    mkdirSync(dir, { recursive: true });
    const mod = (await import(/* @vite-ignore */ pathToFileURL(path.join(root, 'scripts/build.mjs')).href)) as { buildMain(out: string): Promise<string> };
    const mainJs = await mod.buildMain(path.join(dir, 'main', 'main.js'));
    await build({ entryPoints: [path.join(root, 'test/fakes/electron/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: path.join(dir, 'electron-fake.mjs'), logLevel: 'silent' });
    writeFileSync(
      path.join(dir, 'hooks.mjs'),
      `export async function resolve(s, c, next) { return s === 'electron' ? { url: ${JSON.stringify(pathToFileURL(path.join(dir, 'electron-fake.mjs')).href)}, shortCircuit: true } : next(s, c); }\n`,
    );
    writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
    writeFileSync(
      path.join(dir, 'run.mjs'),
      [
        `const { fake } = await import('electron');`,
        `await import(${JSON.stringify(pathToFileURL(mainJs).href)});`,
        `for (let i = 0; i < 200 && !(fake.trays[0]?.tooltip ?? '').includes('running'); i++) await new Promise((r) => setTimeout(r, 50));`,
        `const port = /:(\\d+)/.exec(fake.trays[0]?.tooltip ?? '')?.[1];`,
        `const health = port ? (await fetch('http://127.0.0.1:' + port + '/healthz')).status : 0;`,
        `console.log(JSON.stringify({ tooltip: fake.trays[0]?.tooltip, health, labels: fake.trays[0]?.menu?.labels() }));`,
        `process.exit(0);`,
      ].join('\n'),
    );
    const home = path.join(dir, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'config.yaml'), 'host: 127.0.0.1\nport: 0\nsecret-store: file\nusage-sqlite:\n  enable: false\n');
    const { code, out } = await run(process.execPath, ['--import', path.join(dir, 'register.mjs'), path.join(dir, 'run.mjs')], { ...process.env, SWITCHYARD_HOME: home }, 20_000);
    const line = out.split('\n').find((l) => l.startsWith('{'));
    expect(line, out).toBeDefined();
    const result = JSON.parse(line!) as { tooltip: string; health: number; labels: string[] };
    expect(code).toBe(0);
    expect(result.tooltip).toMatch(/^Switchyard — running on :\d+ · 0 accounts$/);
    expect(result.health).toBe(200);
    expect(result.labels[1]).toBe('Stop proxy');
  }, 40_000);
});
