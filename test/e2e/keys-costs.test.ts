import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium, type Browser } from './chromium';
import { ensureRendererBuilt, startUiServer, type UiServer } from './ui-server';
import { goTo, openPanel, SHOT_DIR } from './helpers';
import { shotOf } from './keys-shots';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startClaudeUpstream, type FakeUpstream } from '../fakes/upstreams/claude-upstream';

/**
 * Issue 17 point 9 and 7 in Chromium: provider key entries edited in place and tested one by one
 * (the real engine, a fake Anthropic upstream that records every request), per-account cost
 * estimates, and the usage series still answering after the server restarts.
 */
const KEY = 'mgmt-keys';
const keyOf = (h: Record<string, string | string[] | undefined>) => String(h['x-api-key'] ?? h.authorization ?? '').replace(/^Bearer /, '');
let upstream: FakeUpstream;
let sy: RunningEngine;
let fake: UiServer;
let b: Browser;
let fakePage: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) return;
  await ensureRendererBuilt();
  upstream = await startClaudeUpstream({
    script: (rec) =>
      keyOf(rec.headers) === 'sk-ant-revoked-0000'
        ? { error: { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } } }
        : { steps: [{ type: 'text', text: 'p' }], usage: { input: 8, output: 1 } },
  });
  sy = await startEngine(
    [
      `remote-management: {secret-key: ${KEY}}`,
      'api-keys: [sk-client-keys-00001111]',
      'claude-api-key:',
      '  - api-key: sk-ant-good-key-1111',
      `    base-url: ${upstream.url}`,
      '    label: work',
      '    models: [{name: claude-haiku-4-5}]',
      '  - api-key: sk-ant-revoked-0000',
      `    base-url: ${upstream.url}`,
      '    label: old',
    ].join('\n'),
  );
  fake = await startUiServer();
  await fake.engine.prefs.set({ language: 'en', theme: 'light' });
  b = await launchChromium({ viewport: { width: 1280, height: 800 } });
  b.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openPanel(b.page, `${sy.url}/ui/`, KEY);
  fakePage = await b.context.newPage();
  fakePage.on('pageerror', (e) => pageErrors.push(e.message));
  await openPanel(fakePage, fake.uiUrl, fake.managementKey);
}, 90_000);
afterAll(async () => {
  await b?.close();
  await fake?.close();
  await sy?.close();
  await upstream?.close();
});
beforeEach(async () => {
  for (const p of b ? [b.page, fakePage] : []) while (await p.locator('[role=dialog]').count()) await p.keyboard.press('Escape');
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('provider keys: edit in place, test one entry', () => {
  it('edits an entry where it is listed; the masked key sent back keeps the saved one', async () => {
    const p = b.page;
    await goTo(p, 'accounts');
    await p.getByRole('button', { name: 'Edit key entry work' }).click();
    const form = p.getByRole('form', { name: 'Edit key entry work' });
    expect(await form.getByLabel('API key').inputValue()).toBe('sk-…1111');
    await form.getByLabel('Label (optional)').fill('team');
    await form.getByLabel(/Extra headers/).fill('x-team: blue');
    await form.getByRole('button', { name: 'Save' }).click();
    await p.getByRole('button', { name: 'Edit key entry team' }).waitFor();
    const yaml = readFileSync(sy.configFile, 'utf8');
    expect(yaml).toContain('label: team');
    expect(yaml).toContain('sk-ant-good-key-1111');
    expect(yaml).not.toContain('…');
    expect(sy.engine.config.current['claude-api-key'][0].headers).toEqual({ 'x-team': 'blue' });
  });

  it('"Test" sends one tiny request through that entry only and shows status and latency', async () => {
    const p = b.page;
    const before = upstream.requests.length;
    await p.getByRole('button', { name: 'Test key entry team' }).click();
    const row = p.locator('.key-item', { has: p.getByRole('button', { name: 'Edit key entry team' }) });
    await row.getByText('Works').waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('key-test-status').textContent()).toBe('HTTP 200');
    expect(await row.getByTestId('key-test-result').textContent()).toMatch(/\d+ ms/);
    const sent = upstream.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(keyOf(sent[0].headers)).toBe('sk-ant-good-key-1111');
    expect(sent[0].headers['x-team']).toBe('blue');
    expect(sent[0].body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 1 });
  });

  it('a rejected key shows the upstream’s own message, and the edit form can test too', async () => {
    const p = b.page;
    const before = upstream.requests.length;
    await p.getByRole('button', { name: 'Edit key entry old' }).click();
    const item = p.locator('.key-item', { has: p.getByRole('form', { name: 'Edit key entry old' }) });
    await item.getByLabel('Model for the test').fill('claude-haiku-4-5');
    await item.getByRole('button', { name: 'Test key entry old' }).click();
    await item.getByTestId('key-test-message').waitFor({ timeout: 15_000 });
    expect(await item.getByTestId('key-test-message').textContent()).toBe('The upstream says: invalid x-api-key');
    expect(await item.getByTestId('key-test-status').textContent()).toBe('HTTP 401');
    expect(upstream.requests.slice(before).map((r) => keyOf(r.headers))).toEqual(['sk-ant-revoked-0000']);
    await shotOf(p, '#keys', `${SHOT_DIR}/keys-edit-test-failed.png`);
  });

  it('refuses to make an entry a duplicate of another, with the reason in the form', async () => {
    const p = b.page;
    const form = p.getByRole('form', { name: 'Edit key entry old' });
    await form.getByLabel('API key').fill('sk-ant-good-key-1111');
    await form.getByRole('button', { name: 'Save' }).click();
    expect(await form.getByRole('alert').textContent()).toContain('already configured');
    expect(sy.engine.config.current['claude-api-key'].map((e) => e['api-key'])).toEqual(['sk-ant-good-key-1111', 'sk-ant-revoked-0000']);
    await form.getByRole('button', { name: 'Cancel' }).click();
  });
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('usage: per-account costs, and the series after a restart', () => {
  it('estimates per account: what API keys cost and what subscriptions would have cost', async () => {
    const p = fakePage;
    await goTo(p, 'usage');
    await p.getByTestId('account-cost-table').waitFor({ timeout: 30_000 });
    await p.getByLabel('Input price per million tokens for sonnet').fill('3');
    await p.getByLabel('Output price per million tokens for sonnet').fill('15');
    await p.getByLabel('Input price per million tokens for or-sonnet').fill('3');
    await p.getByLabel('Output price per million tokens for or-sonnet').fill('15');
    const claude = p.getByTestId('account-cost-claude:ada');
    const router = p.getByTestId('account-cost-openai-compatibility:x');
    await p.waitForFunction(() => Number(/would have cost ([\d.]+)/.exec(document.querySelector('[data-testid="account-cost-claude:ada"]')?.textContent ?? '')?.[1]) > 0, undefined, { timeout: 15_000 });
    expect(await claude.textContent()).toContain('Subscription');
    expect(await router.textContent()).toContain('API key');
    expect(await router.getByTestId('account-cost').textContent()).toMatch(/^\d+\.\d\d$/);
    expect(Number(await p.getByTestId('cost-keys-total').textContent())).toBeGreaterThan(0);
    expect(Number(await p.getByTestId('cost-subscriptions-total').textContent())).toBeGreaterThan(0);
    // Codex traffic has no price yet: said so, not shown as free.
    expect(await p.getByTestId('account-cost-codex:lin').getByTestId('account-cost').textContent()).toBe('no price');
    await shotOf(p, '#costs', `${SHOT_DIR}/usage-account-costs.png`);
  }, 60_000);

  it('answers the usage series twice after the server restarts (no reconnect storm)', async () => {
    const p = fakePage;
    await goTo(p, 'usage');
    let streams = 0;
    const count = (r: { url(): string }) => void (r.url().endsWith('/events') && streams++);
    p.on('request', count);
    try {
      await fake.restart(300);
      await p.getByText('Reconnecting to the engine…').waitFor({ state: 'detached', timeout: 15_000 });
      const series = () => p.waitForResponse((r) => /usage%3Aseries|usage:series/.test(r.url()) && r.status() === 200, { timeout: 8000 });
      for (const range of ['7 days', '24 hours']) {
        const answered = series();
        await p.getByRole('button', { name: range }).click();
        await answered;
      }
      await p.waitForTimeout(1500);
      expect(streams).toBeLessThanOrEqual(2);
    } finally {
      p.off('request', count);
    }
  }, 60_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
