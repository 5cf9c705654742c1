import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAccounts } from '../../../src-main/cli/accounts';
import { runImport } from '../../../src-main/cli/import';
import { runLogin } from '../../../src-main/cli/login';
import type { AccountCliIo } from '../../../src-main/cli/context';
import { configSchema } from '../../../src-shared/config/schema';
import { TestBrowser } from '../../fakes/oauth/browser';
import { waitForLine } from '../../fakes/oauth/lines';
import { startDeviceFake, type ProviderFake } from '../../fakes/oauth/providers';

const root = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/auth-files');
const DEVICE_LINE = /Open (\S+) and enter code (\S+)/;

function memIo(dataDir: string, overrides: Record<string, string> = {}): AccountCliIo & { out: string[]; errText: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  let err = '';
  stdout.on('data', (c: Buffer) => out.push(...c.toString().split('\n').filter(Boolean)));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const stdin = new PassThrough();
  stdin.end();
  return { stdout, stderr, stdin, dataDir, config: configSchema.parse({}), hostOverrides: overrides, out, errText: () => err };
}

describe('account subcommands', () => {
  let dir: string;
  let pf: ProviderFake | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-cli-'));
  });
  afterEach(async () => {
    await pf?.fake.close();
    pf = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('import, then accounts --json lists {id, provider, label, status, expiresAt, store} and no secrets', async () => {
    const io = memIo(dir);
    expect(await runImport([fixtures], io)).toBe(0);
    expect(io.out.at(-1)).toBe('7 account(s) imported, 2 file(s) skipped');
    expect(io.errText()).toMatch(/skipped .*claude-broken@example\.com\.json: .*malformed/);

    const list = memIo(dir);
    expect(await runAccounts(['--json'], list)).toBe(0);
    const text = list.out.join('\n');
    const rows = JSON.parse(text) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(7);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(['expiresAt', 'id', 'label', 'provider', 'status', 'store']);
    expect(rows.find((r) => r.id === 'claude-user@example.com')).toEqual({
      id: 'claude-user@example.com',
      provider: 'claude',
      label: 'user@example.com',
      status: 'active',
      expiresAt: '2026-08-01T18:00:00.000Z',
      store: 'file',
    });
    expect(text).not.toMatch(/fixture-access|fixture-refresh|sk-iflow/);

    const table = memIo(dir);
    expect(await runAccounts([], table)).toBe(0);
    expect(table.out[0]).toMatch(/^ID\s+PROVIDER\s+LABEL\s+STATUS\s+EXPIRES$/);
  });

  it('import of a directory with only bad files exits 1', async () => {
    const src = path.join(dir, 'src');
    await cp(path.join(fixtures, 'claude-broken@example.com.json'), path.join(src, 'claude-broken@example.com.json'));
    expect(await runImport([src], memIo(dir))).toBe(1);
  });

  it('login runs a device flow and prints the documented lines', async () => {
    pf = await startDeviceFake('xai');
    const io = memIo(dir, pf.overrides);
    const run = runLogin(['xai', '--no-browser'], io);
    const [, uri, code] = DEVICE_LINE.exec(await waitForLine(io.out, DEVICE_LINE))!;
    await new TestBrowser().approveDevice(uri, code);
    expect(await run).toBe(0);
    expect(io.out.at(-1)).toBe('Signed in to xai as frank@example.com');
  });

  it('login rejects unknown providers with usage (exit 2)', async () => {
    const io = memIo(dir);
    expect(await runLogin(['nope'], io)).toBe(2);
    expect(io.errText()).toMatch(/unknown provider "nope"[\s\S]*Providers: claude, codex/);
  });

  it('the real CLI: login fails with the provider error text and exit 1, accounts --json works', async () => {
    pf = await startDeviceFake('qwen');
    pf.fake.control.deny = true;
    const home = path.join(dir, 'home');
    await cp(fixtures, path.join(home, 'auth'), { recursive: true, filter: (f) => !f.includes('broken') && !f.includes('vertex') });
    const yaml = `host-overrides:\n${Object.entries(pf.overrides).map(([k, v]) => `  "${k}": "${v}"`).join('\n')}\n`;
    await writeFile(path.join(home, 'config.yaml'), yaml);
    const cli = (args: string[]) =>
      spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/cli.ts'), ...args], {
        cwd: root,
        env: { ...process.env, SWITCHYARD_HOME: home },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    const login = cli(['login', 'qwen', '--no-browser']);
    login.stdin.end();
    const lines: string[] = [];
    let stderr = '';
    login.stdout.on('data', (c: Buffer) => lines.push(...c.toString().split('\n')));
    login.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = new Promise<number | null>((r) => login.on('exit', (code) => r(code)));
    const [, uri, code] = DEVICE_LINE.exec(await waitForLine(lines, DEVICE_LINE, 15_000))!;
    await new TestBrowser().approveDevice(uri, code);
    expect(await exit).toBe(1);
    expect(stderr).toMatch(/sign-in to qwen failed: Qwen Code sign-in was denied: .*declined/);

    const accounts = cli(['accounts', '--json']);
    accounts.stdin.end();
    let json = '';
    accounts.stdout.on('data', (c: Buffer) => (json += c.toString()));
    expect(await new Promise((r) => accounts.on('exit', (c) => r(c)))).toBe(0);
    expect((JSON.parse(json) as unknown[]).length).toBe(7);
  }, 30_000);
});
