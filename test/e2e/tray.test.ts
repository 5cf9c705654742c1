import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH, launchChromium } from './chromium';
import { startUiServer, type UiServer } from './ui-server';
import { openPanel, shot } from './helpers';

/** The tray icon's small window: the same bundle at #/tray shows only state and meters. */
let server: UiServer;
beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) return;
  server = await startUiServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('tray window', () => {
  it('shows the proxy state and every account meter, without the navigation', async () => {
    const b = await launchChromium({ colorScheme: 'light', locale: 'en-US', viewport: { width: 340, height: 420 } });
    try {
      await openPanel(b.page, server.uiUrl, server.managementKey);
      await b.page.evaluate(() => (location.hash = '#/tray'));
      await b.page.locator('.tray-view').waitFor();
      await b.page.waitForTimeout(300);
      expect(await b.page.locator('nav').count()).toBe(0);
      expect(await b.page.locator('.tray-view .tray-account').count()).toBeGreaterThan(0);
      expect(existsSync(await shot(b.page, 'tray-light-en'))).toBe(true);
    } finally {
      await b.close();
    }
  }, 60_000);
});
