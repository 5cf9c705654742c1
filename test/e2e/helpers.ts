import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const SHOT_DIR = fileURLToPath(new URL('../../test-output/screenshots', import.meta.url));

/** Open the panel and pass the management-key gate (what a headless `serve` user does once). */
export async function openPanel(page: Page, uiUrl: string, key: string): Promise<void> {
  await page.goto(uiUrl);
  await page.locator('input[type=password]').fill(key);
  await page.locator('form button[type=submit]').click();
  await page.locator('nav .nav-item').first().waitFor({ timeout: 10_000 });
}

export async function goTo(page: Page, name: string): Promise<void> {
  await page.locator(`nav a[href="#/${name}"]`).click();
  await page.waitForFunction((n) => location.hash === `#/${n}`, name);
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOT_DIR, { recursive: true });
  const file = `${SHOT_DIR}/${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
