import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function home(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'sy-cli-'));
  dirs.push(d);
  return d;
}

/**
 * The command as `npm run switchyard` runs it (scripts/run-cli.mjs: the built bundle, rebuilt first
 * when a source changed), with no wrapper process between the test's signals and the CLI: tsx's
 * own wrapper SIGKILLs its child when the child does not confirm a signal within 30 ms, which a
 * busy machine turned into exit code 143.
 */
function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['scripts/run-cli.mjs', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = async (re: RegExp, ms = 20_000) => {
    const t0 = Date.now();
    while (!re.test(stdout)) {
      if (Date.now() - t0 > ms) throw new Error(`timed out; stdout=${stdout} stderr=${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return re.exec(stdout)!;
  };
  return { child, exited, waitFor, out: () => stdout, err: () => stderr };
}

describe('switchyard serve', () => {
  it('writes a commented default config on first run, prints one ready line, and exits 0 on SIGTERM', async () => {
    const h = await home();
    const p = run(['serve', '--port', '0'], { SWITCHYARD_HOME: h });
    // The start-up lines may follow within the same poll: match the ready line as a line of its own.
    const m = await p.waitFor(/^Switchyard listening on (http:\/\/127\.0\.0\.1:(\d+))$/m);
    expect(p.out().split('\n')[0]).toBe(`Switchyard listening on ${m[1]}`);
    const health = await fetch(`${m[1]}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const cfg = await readFile(path.join(h, 'config.yaml'), 'utf8');
    expect(cfg).toContain('# Switchyard configuration');
    expect((await stat(path.join(h, 'config.yaml'))).mode & 0o777).toBe(0o600);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 30_000);

  it('exits 0 on a SIGTERM that comes as soon as the port accepts, while the engine still loads what requests need', async () => {
    const h = await home();
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = s.address() as net.AddressInfo;
        s.close(() => resolve(free));
      });
    });
    const p = run(['serve', '--port', String(port)], { SWITCHYARD_HOME: h });
    const accepts = () =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
    while (!(await accepts())) if (p.child.exitCode !== null) throw new Error(`serve exited: ${p.err()}`);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 30_000);

  it('exits 2 with file, key and reason for an invalid config', async () => {
    const h = await home();
    const file = path.join(h, 'bad.yaml');
    await writeFile(file, 'port: 8317\nrouting:\n  strategy: sideways\n');
    const p = run(['serve', '--config', file, '--port', '0'], { SWITCHYARD_HOME: h });
    expect(await p.exited).toBe(2);
    expect(p.err()).toContain(`${file}:3`);
    expect(p.err()).toContain('routing.strategy');
  }, 30_000);

  it('refuses a non-loopback host without api-keys', async () => {
    const h = await home();
    const p = run(['serve', '--host', '0.0.0.0', '--port', '0'], { SWITCHYARD_HOME: h });
    expect(await p.exited).not.toBe(0);
    expect(p.err()).toMatch(/not a loopback address/);
  }, 30_000);

  it('config check validates a file', async () => {
    const h = await home();
    const file = path.join(h, 'c.yaml');
    await writeFile(file, 'port: 1234\n');
    const ok = run(['config', 'check', file], {});
    expect(await ok.exited).toBe(0);
    expect(ok.out()).toContain('OK');
  }, 30_000);
});
