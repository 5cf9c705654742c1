import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH, launchChromium, type Browser } from './chromium';
import { startUiServer, ensureRendererBuilt, type UiServer } from './ui-server';
import { goTo, openPanel, shot } from './helpers';
import { startEngine, type RunningEngine } from '../integration/harness';
import type { QuotaWindow } from '../../src-main/engine/quota/window';

/**
 * Issue 17 in Chromium: meters that mean one thing, balances that never alarm, failures explained
 * where they happen, a first run that says what to do, routes in the URL, recovery after a restart.
 * One browser, one page reused across the specs (the machine is small).
 */
let server: UiServer;
let b: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) return;
  server = await startUiServer();
  await server.engine.prefs.set({ language: 'en', theme: 'light' });
  const now = server.engine.now();
  // A Plus account that never bought credits (has_credits false) on a fresh week, and a Claude
  // account whose organisation switched extra usage off.
  server.engine.addOauthAccount({ id: 'codex:fresh', provider: 'codex', label: 'fresh@example.com' }, { plan: 'plus' });
  const win = (w: Partial<QuotaWindow> & Pick<QuotaWindow, 'id' | 'label' | 'kind' | 'usedPercent'>): QuotaWindow => ({ resetAt: null, windowSeconds: 0, source: 'traffic', observedAt: now, ...w });
  server.engine.windows.set('codex:fresh', [
    win({ id: '5h', label: '5-hour', kind: '5h', usedPercent: 10, windowSeconds: 18_000, resetAt: now + 3_600_000 }),
    win({ id: 'credits', label: 'Credits', kind: 'credits', usedPercent: 100 }),
  ]);
  server.engine.windows.set('claude:ada', [
    win({ id: '5h', label: '5-hour', kind: '5h', usedPercent: 25, windowSeconds: 18_000, resetAt: now + 3_600_000 }),
    win({ id: 'weekly-opus', label: 'Weekly (opus)', kind: 'per-model', model: 'opus', usedPercent: 40, windowSeconds: 604_800, resetAt: now + 86_400_000 }),
    win({ id: 'extra-usage', label: 'Extra usage', kind: 'credits', usedPercent: 100, note: 'org_level_disabled' }),
  ]);
  b = await launchChromium();
  b.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openPanel(b.page, server.uiUrl, server.managementKey);
}, 90_000);
afterAll(async () => {
  await b?.close();
  await server?.close();
});

beforeEach(async () => {
  if (!b) return;
  // A failed step must not leave a dialog over the next one.
  while (await b.page.locator('[role=dialog]').count()) await b.page.keyboard.press('Escape');
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('issue 17 in Chromium', () => {
  it('shows a Codex account without credits and Claude extra usage switched off as balances, without an alarm', async () => {
    const p = b.page;
    await goTo(p, 'quota');
    const fresh = p.getByTestId('quota-codex:fresh');
    await fresh.getByTestId('quota-balance').waitFor({ timeout: 10_000 });
    expect(await fresh.getByTestId('quota-balance').textContent()).toContain('none purchased');
    expect(await fresh.locator('.meter-bad, .pill-bad, .form-error').count()).toBe(0);
    // One meaning per meter: 10 % used is "90% left" in text, bar width and aria alike.
    expect(await fresh.getByTestId('quota-left').textContent()).toBe('90% left');
    const meter = fresh.getByRole('meter');
    expect(await meter.getAttribute('aria-valuenow')).toBe('90');
    expect(await meter.locator('.meter-fill').evaluate((el) => (el as HTMLElement).style.width)).toBe('90%');
    const ada = p.getByTestId('quota-claude:ada');
    expect(await ada.getByTestId('quota-balance').textContent()).toContain('turned off for the organisation');
    expect(await ada.getByText('Weekly (opus)').count()).toBe(1);
    expect(await ada.locator('.meter-bad').count()).toBe(0);
    // The pools never count a balance as capacity.
    expect(await p.locator('#pools').textContent()).not.toMatch(/credits|extra usage/i);
  });

  it('collapses API keys into one line per provider after the subscriptions', async () => {
    const p = b.page;
    await p.getByTestId('keys-openai-compatibility').waitFor();
    expect(await p.locator('#per-account').textContent()).not.toContain('openrouter');
    const order = await p.locator('#per-account, #key-providers').evaluateAll((els) => els.map((e) => e.id));
    expect(order).toEqual(['per-account', 'key-providers']);
  });

  it('explains a 502 in the log: the upstream message, every account tried and the retry time', async () => {
    const p = b.page;
    await goTo(p, 'logs');
    const retryAt = server.engine.now() + 90_000;
    server.engine.recordRequest({
      id: 'req-502',
      requestedModel: 'gpt-5-codex',
      provider: 'codex',
      accountId: 'codex:lin',
      accountLabel: 'lin@example.com',
      status: 502,
      errorClass: 'upstream',
      upstreamStatus: 502,
      upstreamMessage: 'upstream connect error: overloaded',
      retryAt,
      tried: [
        { accountId: 'codex:fresh', accountLabel: 'fresh@example.com', provider: 'codex', outcome: 'skipped', reason: 'cooling until 14:05 (rate limit)' },
        { accountId: 'codex:lin', accountLabel: 'lin@example.com', provider: 'codex', outcome: 'failed', status: 502, reason: 'bad gateway' },
      ],
    } as Parameters<UiServer['engine']['recordRequest']>[0]);
    const row = p.locator('[data-testid=log-table] tbody tr').filter({ has: p.locator('.pill', { hasText: /^502$/ }) }).first();
    await row.waitFor();
    await row.click();
    const dialog = p.getByRole('dialog');
    await dialog.getByTestId('upstream-message').waitFor();
    expect(await dialog.getByTestId('upstream-message').textContent()).toContain('upstream connect error: overloaded');
    const tried = await dialog.getByTestId('tried').textContent();
    expect(tried).toContain('fresh@example.com');
    expect(tried).toContain('cooling until 14:05 (rate limit)');
    expect(tried).toContain('bad gateway');
    expect(await dialog.textContent()).toContain('can be tried again');
    await shot(p, 'trust-log-502');
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus goes back to the row that opened the dialog, not to <body>.
    expect(await p.evaluate(() => document.activeElement?.tagName)).toBe('TR');
  });

  it('says why an account cools and Reset makes it available again', async () => {
    const p = b.page;
    await goTo(p, 'accounts');
    const lin = server.engine.accounts.list().find((v) => v.account.id === 'codex:lin')!;
    lin.coolingReason = 'rate-limit';
    server.engine.emit({ type: 'accounts' });
    const why = p.getByTestId('cooling-reason-codex:lin');
    await why.getByText('Rate limited (429).').waitFor();
    await why.getByRole('button', { name: 'Reset cooldown of lin@example.com' }).click();
    await p.getByText('lin@example.com is available again.').waitFor();
    await p.getByTestId('account-codex:lin').getByText('Active').waitFor();
  });

  it('keeps pages in the URL: Back returns to the previous page, a typed hash navigates', async () => {
    const p = b.page;
    await goTo(p, 'dashboard');
    await goTo(p, 'usage');
    await p.getByRole('heading', { level: 1, name: 'Usage' }).waitFor();
    await p.goBack();
    await p.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(p.url()).toMatch(/#\/dashboard$/);
    await p.evaluate(() => (location.hash = '#/settings'));
    await p.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    // A deep link opens that page directly.
    await p.goto(`${server.uiUrl}#/logs`);
    await p.getByRole('heading', { level: 1, name: 'Request log' }).waitFor();
  });

  it('shows the Status columns of Accounts and Logs at 390 px', async () => {
    const p = b.page;
    await p.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [page, header] of [
        ['accounts', 'Status'],
        ['logs', 'Status'],
      ] as const) {
        await goTo(p, page);
        const th = p.locator('table th', { hasText: header }).first();
        await th.waitFor();
        await shot(p, `trust-390-${page}`);
        const box = await th.boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await p.setViewportSize({ width: 1100, height: 760 });
    }
  });

  it('reconnects by itself when the server comes back and shows what changed meanwhile', async () => {
    const p = b.page;
    await goTo(p, 'dashboard');
    await p.getByTestId('today-requests').waitFor();
    const before = Number(await p.getByTestId('today-requests').textContent());
    await server.restart(300);
    await p.getByText('Reconnecting to the engine…').waitFor({ timeout: 5000 }).catch(() => undefined);
    server.engine.recordRequest({ requestedModel: 'after-restart', status: 200, time: server.engine.now() });
    await p.waitForFunction((n) => Number(document.querySelector('[data-testid=today-requests]')?.textContent) > n, before, { timeout: 15_000 });
    await p.getByText('Reconnecting to the engine…').waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('the tray window: state, Start/Stop, Copy URL, Open app, subscriptions before keys', async () => {
    const p = b.page;
    await p.setViewportSize({ width: 340, height: 420 });
    try {
      await p.evaluate(() => (location.hash = '#/tray'));
      await p.locator('.tray-view').waitFor();
      await p.getByTestId('tray-codex:fresh').waitFor();
      expect(await p.getByTestId('tray-state').textContent()).toBe('Running');
      for (const name of ['Stop', 'Open app']) expect(await p.getByRole('button', { name }).count()).toBe(1);
      expect(await p.getByRole('button', { name: /Base URL/ }).textContent()).toBe('Copy URL');
      // The tightest window of a fresh Codex account is its 5-hour one, never the credits balance.
      expect(await p.getByTestId('tray-codex:fresh').textContent()).toContain('90% left');
      const last = await p.locator('.tray-account').last().boundingBox();
      const keys = await p.locator('.key-line').first().boundingBox();
      expect(keys!.y).toBeGreaterThan(last!.y);
      await shot(p, 'trust-tray');
    } finally {
      await p.setViewportSize({ width: 1100, height: 760 });
      await p.evaluate(() => (location.hash = '#/dashboard'));
    }
  });

  it('estimates cost from prices the user types, and offers the chart as a table', async () => {
    const p = b.page;
    await goTo(p, 'usage');
    await p.getByTestId('cost-table').waitFor({ timeout: 30_000 });
    expect(await p.getByTestId('cost-total').textContent()).toBe('0.00');
    await p.getByLabel('Input price per million tokens for sonnet').fill('3');
    await p.getByLabel('Output price per million tokens for sonnet').fill('15');
    await p.waitForFunction(() => Number(document.querySelector('[data-testid=cost-total]')?.textContent) > 0, undefined, { timeout: 15_000 });
    await p.locator('#chart-requests summary').click();
    expect(await p.locator('#chart-requests .data-table tbody tr').count()).toBeGreaterThan(0);
    await shot(p, 'trust-usage-costs');
    // Prices are the user's: they survive a reload.
    await p.reload();
    await p.getByLabel('Input price per million tokens for sonnet').waitFor();
    expect(await p.getByLabel('Input price per million tokens for sonnet').inputValue()).toBe('3');
  }, 90_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('a fresh /ui/ on the real engine', () => {
  let sy: RunningEngine;
  beforeAll(async () => {
    await ensureRendererBuilt();
    sy = await startEngine('api-keys: [sk-client-fresh-00001111]\n', { watch: true });
  }, 60_000);
  afterAll(async () => {
    await sy?.close();
  });

  it('explains how to enable management with the exact YAML, keeping the server message', async () => {
    const p = await b.context.newPage();
    try {
      await p.goto(`${sy.url}/ui/`);
      const box = p.getByTestId('management-disabled');
      await box.waitFor({ timeout: 10_000 });
      expect(await box.textContent()).toContain('management API is disabled');
      expect(await box.textContent()).not.toContain('HTTP 404');
      const yaml = (await p.getByTestId('management-yaml').textContent())!;
      expect(yaml).toMatch(/^remote-management:\n {2}secret-key: "sy-mgmt-[0-9a-f]{36}"$/);
      await shot(p, 'trust-fresh-ui');
      // Following the advice works: the config reloads, the key opens the panel.
      const key = /"(.+)"/.exec(yaml)![1];
      await sy.writeConfig(`api-keys: [sk-client-fresh-00001111]\n${yaml}\n`);
      await p.waitForTimeout(0);
      for (let i = 0; i < 50 && (await fetch(`${sy.url}/v0/management/ui/app:status:get`, { method: 'POST' })).status === 404; i++) await new Promise((r) => setTimeout(r, 100));
      await p.getByRole('button', { name: 'Check again' }).click();
      await openPanel(p, `${sy.url}/ui/`, key);
    } finally {
      await p.close();
    }
  }, 60_000);
});
