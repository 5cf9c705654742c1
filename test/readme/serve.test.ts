import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandsFor, COVERAGE } from './coverage';
import { freePort, root, runCommand, userHome, type ShellRun } from './readme';

/**
 * README's serve, import, accounts, config and help commands, run exactly as written through
 * `sh -c` and npm (so through the bundle), each on a fresh HOME and SWITCHYARD_HOME.
 */
const homes: string[] = [];
const running: ShellRun[] = [];
afterAll(async () => {
  for (const r of running) r.signal('SIGKILL');
  await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
});

async function fresh(configYaml?: string) {
  const u = await userHome(configYaml);
  homes.push(u.home);
  return u;
}

/** Ctrl-C, as in the terminal: the whole group gets SIGINT; the server stops and answers no more. */
async function stop(run: ShellRun, url: string): Promise<void> {
  run.signal('SIGINT');
  await run.exited;
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
}

describe('README: serve', () => {
  it.each(commandsFor('serve'))('`%s` serves and prints the start-up lines', async (written) => {
    const port = COVERAGE.serve.exec(written)![1];
    // The README's example port may be taken on a shared machine; the same command runs on a free one.
    const command = port ? written.replace(`--port ${port}`, `--port ${await freePort()}`) : written;
    const u = await fresh();
    const run = runCommand(command, u.env);
    running.push(run);
    const configFile = path.join(u.data, 'config.yaml');
    const first = await run.waitFor(/^Switchyard listening on (http:\/\/127\.0\.0\.1:(\d+))$|^switchyard: cannot start: port 8317 is already in use/m);
    // The first run wrote the commented default config either way.
    expect(await readFile(configFile, 'utf8')).toContain('# Switchyard configuration');
    if (!first[1]) {
      // `npm run serve` without --port uses the default 8317, which another process holds here.
      expect(port).toBeUndefined();
      expect(run.err()).toContain(`set another with --port or "port:" in ${configFile}`);
      await run.exited;
      return;
    }
    const url = first[1];
    if (port) expect(first[2]).toBe(/--port (\d+)/.exec(command)![1]);
    await run.waitFor(/^ {2}next: .*$/m);
    const lines = run.out().split('\n');
    const i = lines.findIndex((l) => l.startsWith('Switchyard listening on'));
    expect(lines.slice(i + 1, i + 5)).toEqual([
      `  config:  ${configFile} (created with the defaults)`,
      `  API:     ${url}/v1 (OpenAI), ${url} (Claude, Gemini)`,
      expect.stringMatching(new RegExp(`^ {2}panel: {3}(off; to enable ${url}/ui/ set remote-management\\.secret-key in the config file|not built in this install \\(npm run build builds it\\))$`)),
      '  next:    no accounts yet; sign in with `switchyard login <provider>` (npm run switchyard -- login claude), import with `switchyard import <dir>`, or add API keys to the config file',
    ]);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    await stop(run, url);
  }, 120_000);
});

describe('README: import, accounts, config check, help', () => {
  it('config check on a fresh SWITCHYARD_HOME says there is no config yet', async () => {
    const [command] = commandsFor('configCheck');
    const u = await fresh();
    const run = runCommand(command, u.env);
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain(`No config file yet: ${path.join(u.data, 'config.yaml')} does not exist.`);
    expect(run.out()).toContain('switchyard serve will create it on first start');
    expect(run.err()).toBe('');
  }, 60_000);

  it('import ~/.cli-proxy-api, then accounts --json prints only JSON listing them, and config check passes', async () => {
    const u = await fresh();
    const [importCommand] = commandsFor('import');
    const dir = COVERAGE.import.exec(importCommand)![1];
    expect(dir).toBe('~/.cli-proxy-api');
    await cp(path.join(root, 'test/fixtures/auth-files'), path.join(u.home, '.cli-proxy-api'), { recursive: true });

    const imported = runCommand(importCommand, u.env);
    expect(await imported.exited).toBe(0);
    expect(imported.out()).toMatch(/^7 account\(s\) imported, 2 file\(s\) skipped$/m);

    const [accountsCommand] = commandsFor('accountsJson');
    const listed = runCommand(accountsCommand, u.env);
    expect(await listed.exited).toBe(0);
    // Pipeable: stdout is the JSON document and nothing else (no npm banner).
    const rows = JSON.parse(listed.out()) as Array<{ id: string; provider: string; label: string; status: string }>;
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r.provider).sort()).toContain('claude');
    expect(listed.out()).not.toMatch(/fixture-access|fixture-refresh/);

    const [checkCommand] = commandsFor('configCheck');
    const check = runCommand(checkCommand, u.env);
    expect(await check.exited).toBe(0);
    expect(check.out()).toContain(`${path.join(u.data, 'config.yaml')}: OK`);
  }, 120_000);

  it('--help lists the commands', async () => {
    const [command] = commandsFor('help');
    const run = runCommand(command, (await fresh()).env);
    expect(await run.exited).toBe(0);
    expect(run.out()).toMatch(/Usage: switchyard <command> \[options\]/);
    expect(run.err()).not.toMatch(/Error|at /);
  }, 60_000);
});
