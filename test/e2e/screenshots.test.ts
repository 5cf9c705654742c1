import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { existsSync as haveFile } from 'node:fs';
import { CHROMIUM_PATH, launchChromium } from './chromium';
import { startUiServer, type UiServer } from './ui-server';
import { goTo, openPanel, shot } from './helpers';

/**
 * Every page in light and dark, English and Chinese, into test-output/screenshots (git-ignored).
 * Someone looks at them when the UI changes; the test checks they render without a crash.
 */
let server: UiServer;
beforeAll(async () => {
  if (!haveFile(CHROMIUM_PATH)) return;
  server = await startUiServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const pages = ['dashboard', 'accounts', 'quota', 'usage', 'mappings', 'logs', 'settings'];
const combos = [
  { theme: 'light', locale: 'en-US', lang: 'en' },
  { theme: 'dark', locale: 'en-US', lang: 'en' },
  { theme: 'light', locale: 'zh-CN', lang: 'zh-CN' },
  { theme: 'dark', locale: 'zh-CN', lang: 'zh-CN' },
] as const;

describe.skipIf(!haveFile(CHROMIUM_PATH))('screenshots', () => {
  for (const c of combos) {
    it(`renders every page (${c.theme}, ${c.lang})`, async () => {
      // Theme follows the OS (colorScheme) through `system`; language is the engine-side preference.
      await server.engine.prefs.set({ language: c.lang, theme: 'system' });
      const b = await launchChromium({ colorScheme: c.theme, locale: c.locale });
      const errors: string[] = [];
      b.page.on('pageerror', (e) => errors.push(e.message));
      try {
        await b.page.goto(server.uiUrl);
        await b.page.locator('input[type=password]').waitFor();
        await shot(b.page, `gate-${c.theme}-${c.lang}`);
        await openPanel(b.page, server.uiUrl, server.managementKey);
        expect(await b.page.evaluate(() => document.documentElement.dataset.theme)).toBe(c.theme);
        expect(await b.page.evaluate(() => document.documentElement.lang)).toBe(c.lang);
        for (const p of pages) {
          await goTo(b.page, p);
          await b.page.locator('.page-title').first().waitFor();
          await b.page.waitForTimeout(p === 'usage' ? 700 : 250);
          expect(existsSync(await shot(b.page, `${p}-${c.theme}-${c.lang}`))).toBe(true);
        }
        await goTo(b.page, 'accounts');
        await b.page.locator('button[data-provider="qwen"]').click();
        await b.page.locator('[data-testid=device-code]').waitFor();
        await shot(b.page, `sign-in-device-${c.theme}-${c.lang}`);
        await b.page.keyboard.press('Escape');
      } finally {
        await b.close();
      }
      expect(errors).toEqual([]);
    }, 90_000);
  }
});
