import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_PATH, launchChromium, type Browser } from './chromium';
import { ensureRendererBuilt } from './ui-server';
import { goTo, openPanel, shot } from './helpers';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startCodexFake, type CodexFake } from '../fakes/oauth/providers';
import { holdLoopbackPortsForThisFile } from '../fakes/oauth/loopback-lock';

// Signs in on the providers' registered loopback ports: one such file at a time.
holdLoopbackPortsForThisFile();

/**
 * One-click sign-in from the panel against the real engine: the button opens the authorize URL
 * in a real Chromium tab, the local OAuth fake redirects to the engine's loopback listener, and
 * the account appears in the list through contract events.
 */
const KEY = 'mgmt-e2e';
let pf: CodexFake;
let sy: RunningEngine;
let authDir: string;
let b: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) return;
  await ensureRendererBuilt();
  pf = await startCodexFake();
  authDir = await mkdtemp(path.join(os.tmpdir(), 'sy-e2e-auth-'));
  const overrides = Object.entries(pf.overrides).map(([k, v]) => `  "${k}": "${v}"`);
  sy = await startEngine([`remote-management: {secret-key: ${KEY}}`, `auth-dir: "${authDir}"`, 'secret-store: file', 'host-overrides:', ...overrides].join('\n'));
  b = await launchChromium();
  await openPanel(b.page, `${sy.url}/ui/`, KEY);
}, 60_000);
afterAll(async () => {
  await b?.close();
  await sy?.close();
  await pf?.fake.close();
  if (authDir) await rm(authDir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('sign-in from the panel against the real engine', () => {
  it('signs in to Codex through the local OAuth server and shows the account', async () => {
    const p = b.page;
    await goTo(p, 'accounts');
    const popup = b.context.waitForEvent('page', { timeout: 10_000 });
    await p.locator('button[data-provider="codex"]').click();
    const tab = await popup;
    await p.getByTestId('sign-in-success').waitFor({ timeout: 20_000 });
    expect(await p.getByTestId('sign-in-success').textContent()).toContain('carol@example.com');
    await shot(p, 'real-sign-in-success');
    await tab.close().catch(() => undefined);
    await p.keyboard.press('Escape');
    await p.locator('td .cell-main', { hasText: 'carol@example.com' }).waitFor();
  });
});
