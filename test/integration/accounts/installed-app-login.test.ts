import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLogin } from '../../../src-main/cli/login';
import type { AccountCliIo } from '../../../src-main/cli/context';
import { configSchema } from '../../../src-shared/config/schema';
import { TestBrowser } from '../../fakes/oauth/browser';
import { waitForLine } from '../../fakes/oauth/lines';
import { startGoogleFake, startIflowFake, type ProviderFake } from '../../fakes/oauth/providers';
import { holdLoopbackPortsForThisFile } from '../../fakes/oauth/loopback-lock';

// Signs in on the providers' registered loopback ports: one such file at a time.
holdLoopbackPortsForThisFile();

/**
 * `switchyard login gemini-cli|antigravity|iflow --no-browser` is one click: the installed-app
 * client secrets ship with Switchyard, so no environment variable is needed. The fake OAuth
 * servers register those clients with the shipped secrets and refuse any other.
 */
const URL_LINE = /Open this URL to sign in: (\S+)/;
const ENV = ['SWITCHYARD_GEMINI_CLI_CLIENT_SECRET', 'SWITCHYARD_ANTIGRAVITY_CLIENT_SECRET', 'SWITCHYARD_IFLOW_CLIENT_SECRET'];

function memIo(dataDir: string, overrides: Record<string, string>): AccountCliIo & { out: string[]; errText: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  let err = '';
  stdout.on('data', (c: Buffer) => out.push(...c.toString().split('\n').filter(Boolean)));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const stdin = new PassThrough();
  return { stdout, stderr, stdin, dataDir, config: configSchema.parse({}), hostOverrides: overrides, out, errText: () => err };
}

describe('one-click sign-in for installed-app OAuth clients', () => {
  let dir: string;
  let pf: ProviderFake | undefined;
  beforeEach(async () => {
    for (const k of ENV) expect(process.env[k], `${k} must not be set for this test`).toBeUndefined();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-login-'));
  });
  afterEach(async () => {
    await pf?.fake.close();
    pf = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  for (const [provider, start, expected] of [
    ['gemini-cli', startGoogleFake, 'Signed in to gemini-cli as dave@example.com'],
    ['antigravity', startGoogleFake, 'Signed in to antigravity as dave@example.com'],
    ['iflow', startIflowFake, 'Signed in to iflow as erin@example.com'],
  ] as const) {
    it(`login ${provider} --no-browser prints the URL and completes with no environment set`, async () => {
      pf = await start();
      const io = memIo(dir, pf.overrides);
      const run = runLogin([provider, '--no-browser'], io);
      const [, url] = URL_LINE.exec(await waitForLine(io.out, URL_LINE, 15_000))!;
      await new TestBrowser().go(url);
      expect(await run, io.errText()).toBe(0);
      expect(io.out.at(-1)).toBe(expected);
      // The token exchange used the shipped secret (the fake accepts no other one) and stored the token.
      const file = (await readdir(path.join(dir, 'auth'))).find((f) => f.endsWith('.json'));
      expect(await readFile(path.join(dir, 'auth', file!), 'utf8')).toMatch(/"access_token"/);
    }, 30_000);
  }
});
