import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium, type Browser } from './chromium';
import { startUiServer, type UiServer } from './ui-server';
import { goTo, openPanel, shot, SHOT_DIR } from './helpers';
import { seedPrices, showKeyEditor, shotOf, stubKeyTests } from './keys-shots';

/**
 * Every page × light/dark × English/Chinese × 1280/390 px into test-output/screenshots
 * (git-ignored), for a person to look at; plus an axe-core scan of every page in both themes that
 * must find nothing serious or critical. One browser and one page: theme by media emulation,
 * language through the engine preference (applied live), width by resizing.
 */
let server: UiServer;
let b: Browser;
const errors: string[] = [];
beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) return;
  server = await startUiServer();
  // A 502 with details, so the log page and its dialog show a failure.
  server.engine.recordRequest({ id: 'shot-502', requestedModel: 'gpt-5-codex', provider: 'codex', accountId: 'codex:lin', accountLabel: 'lin@example.com', status: 502, errorClass: 'upstream' });
  stubKeyTests(server);
  b = await launchChromium({ viewport: { width: 1280, height: 800 } });
  b.page.on('pageerror', (e) => errors.push(e.message));
  await openPanel(b.page, server.uiUrl, server.managementKey);
  await seedPrices(b.page);
}, 60_000);
afterAll(async () => {
  await b?.close();
  await server?.close();
});

const pages = ['dashboard', 'accounts', 'quota', 'usage', 'mappings', 'logs', 'settings'];
const langs = ['en', 'zh-CN'] as const;
const themes = ['light', 'dark'] as const;
const widths = [1280, 390] as const;

async function settle(p: Page, page: string): Promise<void> {
  await p.locator('.page-title').first().waitFor();
  await p.locator('.state-loading').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
  await p.waitForTimeout(page === 'usage' ? 600 : 150);
}

/** Serious and critical axe findings, as "rule: target" lines (empty = pass). */
async function axe(p: Page, builder = new AxeBuilder({ page: p })): Promise<string[]> {
  const r = await builder.analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`));
}

describe.skipIf(!existsSync(CHROMIUM_PATH))('screenshots and accessibility', () => {
  for (const lang of langs) {
    it(`renders every page in ${lang}, both themes, both widths`, async () => {
      const p = b.page;
      await server.engine.prefs.set({ language: lang, theme: 'system' });
      await p.waitForFunction((l) => document.documentElement.lang === l, lang);
      for (const theme of themes) {
        await p.emulateMedia({ colorScheme: theme });
        for (const width of widths) {
          await p.setViewportSize({ width, height: width === 390 ? 844 : 800 });
          for (const page of pages) {
            await goTo(p, page);
            await settle(p, page);
            expect(await p.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
            expect(existsSync(await shot(p, `${page}-${theme}-${lang}-${width}`))).toBe(true);
          }
          // The Keys card with an entry in its editor and Test answers; the cost tables.
          await goTo(p, 'accounts');
          await settle(p, 'accounts');
          await showKeyEditor(p);
          await shotOf(p, '#keys', `${SHOT_DIR}/keys-${theme}-${lang}-${width}.png`);
          await goTo(p, 'usage');
          await settle(p, 'usage');
          await p.getByTestId('account-cost-table').waitFor();
          await shotOf(p, '#costs', `${SHOT_DIR}/costs-${theme}-${lang}-${width}.png`);
        }
      }
      await p.setViewportSize({ width: 340, height: 420 });
      await p.evaluate(() => (location.hash = '#/tray'));
      await p.locator('.tray-view').waitFor();
      await p.waitForTimeout(200);
      await shot(p, `tray-${lang}`);
      await p.setViewportSize({ width: 1280, height: 800 });
      await p.evaluate(() => (location.hash = '#/accounts'));
      await p.locator('button[data-provider="qwen"]').click();
      await p.locator('[data-testid=device-code]').waitFor();
      await shot(p, `sign-in-device-${lang}`);
      await p.keyboard.press('Escape');
      await p.emulateMedia({ colorScheme: 'light' });
    }, 300_000);
  }

  // Every rule on every page in the light theme; contrast again in the dark one (the colours are
  // what changes). Serious and critical findings fail, listed by page, rule and element.
  for (const theme of themes) {
    it(`axe finds nothing serious or critical on any page (${theme})`, async () => {
      const p = b.page;
      await server.engine.prefs.set({ language: 'en', theme: 'system' });
      await p.emulateMedia({ colorScheme: theme });
      await p.setViewportSize({ width: 1280, height: 800 });
      const findings: string[] = [];
      const scan = async (where: string) => {
        const builder = new AxeBuilder({ page: p });
        if (theme === 'dark') builder.withRules(['color-contrast']);
        findings.push(...(await axe(p, builder)).map((f) => `${where}: ${f}`));
      };
      for (const page of pages) {
        await goTo(p, page);
        await settle(p, page);
        await scan(page);
      }
      await goTo(p, 'accounts');
      await settle(p, 'accounts');
      await showKeyEditor(p);
      await scan('keys-edit-and-test');
      await goTo(p, 'usage');
      await p.getByTestId('account-cost-table').waitFor();
      await scan('usage-account-costs');
      await goTo(p, 'logs');
      await p.locator('[data-testid=log-table] tbody tr').first().click();
      await p.getByRole('dialog').waitFor();
      await scan('log-detail');
      await p.keyboard.press('Escape');
      await p.setViewportSize({ width: 340, height: 420 });
      await p.evaluate(() => (location.hash = '#/tray'));
      await p.locator('.tray-view').waitFor();
      await scan('tray');
      await p.setViewportSize({ width: 1280, height: 800 });
      await p.evaluate(() => (location.hash = '#/dashboard'));
      await p.emulateMedia({ colorScheme: 'light' });
      expect(findings).toEqual([]);
    }, 300_000);
  }

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
