import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { existsSync as haveFile } from 'node:fs';
import { CHROMIUM_PATH, launchChromium, type Browser } from './chromium';
import { startUiServer, type UiServer } from './ui-server';
import { goTo, openPanel, shot } from './helpers';

/**
 * The panel's main journeys in Chromium against the HTTP bridge. Runs over the in-memory fake
 * engine until the real engine mounts the bridge; only startUiServer changes then.
 */
let server: UiServer;
let b: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!haveFile(CHROMIUM_PATH)) return;
  server = await startUiServer();
  await server.engine.prefs.set({ language: 'en', theme: 'light' });
  b = await launchChromium();
  b.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openPanel(b.page, server.uiUrl, server.managementKey);
}, 60_000);
afterAll(async () => {
  await b?.close();
  await server?.close();
});

beforeEach(async () => {
  if (!b) return;
  // A failed step must not leave a modal over the next one.
  while (await b.page.locator('[role=dialog]').count()) await b.page.keyboard.press('Escape');
});

describe.skipIf(!haveFile(CHROMIUM_PATH))('control panel in Chromium', () => {
  it('refuses a wrong management key', async () => {
    const other = await b.context.newPage();
    await other.goto(server.uiUrl);
    await other.locator('input[type=password]').fill('nope');
    await other.locator('form button[type=submit]').click();
    await other.getByRole('alert').waitFor();
    expect(await other.getByRole('alert').textContent()).toContain('not accepted');
    await other.close();
  });

  it('signs in to a provider and shows the new account', async () => {
    const p = b.page;
    await goTo(p, 'accounts');
    await p.locator('button[data-provider="claude"]').click();
    await p.getByTestId('sign-in-success').waitFor({ timeout: 10_000 });
    expect(await p.getByTestId('sign-in-success').textContent()).toContain('claude-user@example.com');
    await p.keyboard.press('Escape');
    await p.locator('.cell-main', { hasText: 'claude-user@example.com' }).waitFor();
  });

  it('finishes a sign-in from a pasted redirect URL', async () => {
    const p = b.page;
    server.engine.autoCompleteSignInMs = 0; // the loopback never hears back: the user pastes
    await p.locator('button[data-provider="codex"]').click();
    await p.getByLabel('Redirect address').fill('http://localhost:1455/auth/callback?code=pasted1&state=x');
    await shot(p, 'flow-sign-in-paste');
    await p.getByRole('button', { name: 'Finish sign-in' }).click();
    await p.getByTestId('sign-in-success').waitFor({ timeout: 10_000 });
    await p.keyboard.press('Escape');
    await p.locator('.cell-main', { hasText: 'pasted-pasted1@example.com' }).waitFor();
  });

  it('moves a quota meter and the usage chart as traffic flows, without a reload', async () => {
    const p = b.page;
    await goTo(p, 'usage');
    const total = p.getByTestId('usage-total-requests');
    await total.waitFor();
    const before = Number(await total.textContent());
    for (let i = 0; i < 3; i++) server.engine.recordRequest({ requestedModel: 'live-model', provider: 'claude', accountId: 'claude:ada', accountLabel: 'ada@example.com' });
    await p.waitForFunction((n) => Number(document.querySelector('[data-testid=usage-total-requests]')?.textContent) === n, before + 3, { timeout: 10_000 });
    await p.getByText('live-model').first().waitFor();

    await goTo(p, 'quota');
    const meter = p.getByTestId('quota-claude:ada').getByTestId('quota-left').first();
    await meter.waitFor();
    const now = Date.now();
    server.engine.setWindows('claude:ada', [{ id: '5h', label: '5-hour', kind: '5h', usedPercent: 88, resetAt: now + 3_600_000, windowSeconds: 18000, source: 'traffic', observedAt: now }]);
    await p.waitForFunction(() => document.querySelector('[data-testid="quota-claude:ada"] [data-testid=quota-left]')?.textContent?.includes('12%'), undefined, { timeout: 10_000 });
  });

  it('creates an alias in the wizard and sends a test prompt through it', async () => {
    const p = b.page;
    await goTo(p, 'mappings');
    await p.locator('input[name=alias]').fill('fast');
    await p.getByRole('button', { name: 'Next' }).click();
    await p.locator('select[name=provider]').selectOption('claude');
    await p.locator('input[name=upstreamModel]').fill('claude-haiku-4-5');
    await p.getByRole('button', { name: 'Next' }).click();
    await p.getByTestId('route-preview').waitFor();
    await p.getByRole('button', { name: 'Create alias' }).click();
    await p.getByText('Alias fast saved').waitFor();
    await p.getByRole('button', { name: 'Send' }).click();
    await p.getByTestId('test-reply').waitFor();
    expect(await p.getByTestId('test-reply').textContent()).toContain('echo:');
    await shot(p, 'flow-wizard-done');
    expect(readFileSync(server.engine.config.file, 'utf8')).toMatch(/alias: fast/);
    await p.getByRole('cell', { name: 'fast', exact: true }).waitFor();
  });

  it('keeps a changed setting after a reload and writes it to config.yaml', async () => {
    const p = b.page;
    await goTo(p, 'settings');
    await p.locator('select[name=strategy]').selectOption('fill-first');
    await p.locator('.toast-success').first().waitFor({ timeout: 5000 });
    expect(readFileSync(server.engine.config.file, 'utf8')).toMatch(/strategy: fill-first/);
    await p.reload();
    // The key lives in sessionStorage for this tab, so a reload reconnects without asking.
    await p.locator('nav .nav-item').first().waitFor();
    await goTo(p, 'settings');
    await p.locator('select[name=strategy]').waitFor();
    expect(await p.locator('select[name=strategy]').inputValue()).toBe('fill-first');
  });

  it('switches the language to Chinese and back', async () => {
    const p = b.page;
    await p.locator('select[name=language]').selectOption('zh-CN');
    await p.getByRole('link', { name: '概览' }).waitFor();
    expect(await p.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await p.locator('select[name=language]').selectOption('en');
    await p.getByRole('link', { name: 'Dashboard' }).waitFor();
  });

  it('opens a request from the log with the keyboard', async () => {
    const p = b.page;
    await goTo(p, 'logs');
    const row = p.locator('[data-testid=log-table] tbody tr').first();
    await row.focus();
    await p.keyboard.press('Enter');
    await p.getByRole('dialog').waitFor();
    expect(await p.getByRole('dialog').textContent()).toContain('Request id');
    await shot(p, 'flow-log-detail');
    await p.keyboard.press('Escape');
    await p.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
