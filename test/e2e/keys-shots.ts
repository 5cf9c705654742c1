import type { Page } from 'playwright-core';
import type { KeyTestResult } from '../../src-shared/domain';
import type { UiServer } from './ui-server';

/**
 * Screenshot and axe states for the Keys card and the cost tables: the fake engine answers
 * "Test" like the real one does (the real path is covered by keys-costs.test.ts), the Gemini
 * key works and the OpenRouter entry is refused by its upstream.
 */
export function stubKeyTests(server: UiServer): void {
  Object.assign(server.engine.routing, {
    testKeyEntry: async (at: { section: string }): Promise<KeyTestResult> =>
      at.section === 'openai-compatibility'
        ? { ok: false, status: 402, latencyMs: 231, model: 'anthropic/claude-sonnet-4.5', url: 'https://openrouter.ai/api/v1/chat/completions', error: 'Insufficient credits. Add more using https://openrouter.ai/settings/credits' }
        : { ok: true, status: 200, latencyMs: 412, model: 'gemini-2.5-flash', url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent', error: null },
  });
}

/** Prices for two models, so the per-model and per-account tables show real numbers. */
export async function seedPrices(p: Page): Promise<void> {
  await p.evaluate(() => localStorage.setItem('switchyard.prices', JSON.stringify({ sonnet: { input: 3, output: 15 }, 'or-sonnet': { input: 3, output: 15 } })));
}

/** Keys card: the Gemini key tested, the OpenRouter entry open in its editor with a failed test. */
export async function showKeyEditor(p: Page): Promise<void> {
  const rows = p.locator('#keys .key-item');
  await rows.first().waitFor();
  await rows.nth(0).locator('.key-actions button').nth(0).click();
  await rows.nth(0).getByTestId('key-test-status').waitFor();
  await rows.nth(1).locator('.key-actions button').nth(1).click();
  await rows.nth(1).locator('.key-form-buttons button').first().click();
  await rows.nth(1).getByTestId('key-test-message').waitFor();
}

/** Element screenshots (the app scrolls inside its main pane, so a page shot misses what is below). */
export async function shotOf(p: Page, selector: string, file: string): Promise<void> {
  const view = p.viewportSize()!;
  const box = await p.locator(selector).boundingBox();
  // A card taller than the window (390 px) is shot in a window tall enough to hold it whole.
  if (box && box.height + 160 > view.height) await p.setViewportSize({ width: view.width, height: Math.ceil(box.height + 200) });
  try {
    await p.locator(selector).scrollIntoViewIfNeeded();
    await p.locator(selector).screenshot({ path: file });
  } finally {
    await p.setViewportSize(view);
  }
}
