/**
 * The built CLI serves the panel at /ui/ wherever it is installed, including folders whose
 * names need URL escaping (a space, non-ASCII letters): the UI folder is found from the
 * module's file path, not from its URL's percent-encoded pathname.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const install = mkdtempSync(path.join(os.tmpdir(), 'Switch yard ü-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(install, { recursive: true, force: true });
});

function waitForLine(c: ChildProcess, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    c.stdout!.on('data', onData);
    c.stderr!.on('data', onData);
    c.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

describe('built engine under a path with a space and non-ASCII letters', () => {
  it('answers /ui/ from dist/renderer next to the bundle', async () => {
    const mod = (await import(/* @vite-ignore */ pathToFileURL(path.join(root, 'scripts/build.mjs')).href)) as { buildCli(out: string): Promise<string | undefined> };
    const cli = await mod.buildCli(path.join(install, 'dist', 'cli', 'cli.js'));
    expect(cli).toBeDefined();
    mkdirSync(path.join(install, 'dist', 'renderer'), { recursive: true });
    writeFileSync(path.join(install, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Switchyard panel</title>');
    symlinkSync(path.join(root, 'node_modules'), path.join(install, 'node_modules'), 'dir');
    writeFileSync(path.join(install, 'package.json'), '{"type":"module"}');
    const home = path.join(install, 'home');
    mkdirSync(home);
    writeFileSync(path.join(home, 'config.yaml'), 'host: 127.0.0.1\nport: 0\nsecret-store: file\nusage-sqlite:\n  enable: false\n');

    child = spawn(process.execPath, [cli!, 'serve'], { cwd: home, env: { ...process.env, SWITCHYARD_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    const m = await waitForLine(child, /listening on http:\/\/[^:]+:(\d+)/, 20_000);
    const res = await fetch(`http://127.0.0.1:${m[1]}/ui/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Switchyard panel');
  }, 40_000);
});
