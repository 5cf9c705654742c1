import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/main';
import pkg from '../../../package.json';

/** Run one command line in-process and collect what it prints. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdout, stderr, stdin });
  return { code, out, err };
}

const STACK_FRAME = /^\s+at /m;

describe('switchyard command line', () => {
  let home: string;
  const saved = process.env.SWITCHYARD_HOME;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'sy-cli-main-'));
    process.env.SWITCHYARD_HOME = home;
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.SWITCHYARD_HOME;
    else process.env.SWITCHYARD_HOME = saved;
    await rm(home, { recursive: true, force: true });
  });

  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: `switchyard ${pkg.version}\n`, err: '' });
  });

  it.each(['serve', 'login', 'accounts', 'import', 'config'])('%s --help prints that command’s usage on stdout and exits 0', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`^Usage: switchyard ${name}\\b`));
    expect(await cli(['help', name])).toEqual(r);
  });

  it('--help lists every command', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['serve', 'login', 'accounts', 'import', 'config check']) expect(r.out).toContain(`  ${name}`);
  });

  it.each([
    [['serve', '--bogus'], /^switchyard: Unknown option '--bogus'\n\nUsage: switchyard serve/],
    [['serve', '--port'], /^switchyard: Option '--port <value>' argument missing\n\nUsage: switchyard serve/],
    [['serve', '--port', '70000'], /^switchyard: --port must be a whole number from 0 to 65535, got "70000"\n\nUsage: switchyard serve/],
    [['serve', 'extra'], /^switchyard: Unexpected argument 'extra'. This command does not take positional arguments\n\nUsage: switchyard serve/],
    [['accounts', '--jsno'], /^switchyard: Unknown option '--jsno'\n\nUsage: switchyard accounts/],
    [['import'], /^switchyard: import takes one directory .*\n\nUsage: switchyard import/],
    [['config'], /^switchyard: which config subcommand\?\n\nUsage: switchyard config check/],
    [['config', 'chek'], /^switchyard: unknown config subcommand "chek" \(did you mean "check"\?\)\n\nUsage: switchyard config/],
    [['logni', 'claude'], /^switchyard: unknown command "logni" \(did you mean "login"\?\)\n\nUsage: switchyard <command>/],
    [['login', 'claud'], /^switchyard: unknown provider "claud" \(did you mean "claude"\?\)\nUsage: switchyard login/],
    [['--bogus'], /^switchyard: unknown option "--bogus"\n\nUsage: switchyard <command>/],
  ])('%j is one error line plus usage on stderr, exit 2, no stack trace', async (argv, expected) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(expected);
    expect(r.err).not.toMatch(STACK_FRAME);
  });

  it('no command: usage on stderr, exit 2', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Usage: switchyard <command>/);
  });

  it('config check on a fresh SWITCHYARD_HOME says there is no config yet and what serve will create', async () => {
    const r = await cli(['config', 'check']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain(`No config file yet: ${path.join(home, 'config.yaml')} does not exist.`);
    expect(r.out).toMatch(/switchyard serve will create it on first start with the commented defaults/);
    expect(r.out).not.toMatch(/ENOENT/);
  });

  it('config check of a named file that does not exist is an error naming the file', async () => {
    const file = path.join(home, 'nope.yaml');
    const r = await cli(['config', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`switchyard: ${file} does not exist (serve --config ${file} would create it with the defaults)\n`);
  });

  it('config check suggests the known key for a misspelled one', async () => {
    const file = path.join(home, 'c.yaml');
    await writeFile(file, 'prot: 8317\nremote-managment:\n  secret-key: x\napi_keys: []\ncompletely-unrelated: 1\n');
    const r = await cli(['config', 'check', file]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      `warning: ${file}:1: unknown key "prot" is ignored (did you mean "port"?)`,
      `warning: ${file}:2: unknown key "remote-managment" is ignored (did you mean "remote-management"?)`,
      `warning: ${file}:4: unknown key "api_keys" is ignored (did you mean "api-keys"?)`,
      `warning: ${file}:5: unknown key "completely-unrelated" is ignored`,
      `${file}: OK`,
      '',
    ]);
  });

  it('config check says the quota-exceeded switches are not supported when a file turns one off', async () => {
    const file = path.join(home, 'q.yaml');
    await writeFile(file, 'quota-exceeded:\n  switch-project: false\n');
    const r = await cli(['config', 'check', file]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      `warning: ${file}:2: quota-exceeded.switch-project is not supported by Switchyard yet; quota failures fail over to the next account instead`,
      `${file}: OK`,
      '',
    ]);
  });
});
