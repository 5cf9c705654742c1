import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { CHROMIUM_PATH, launchChromium, type Browser } from './chromium';
import { ensureRendererBuilt } from './ui-server';
import { goTo, openPanel, shot } from './helpers';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startOpenAIChatUpstream, type FakeUpstream } from '../fakes/upstreams/openai-chat-upstream';

/**
 * The built panel served by the real engine at /ui/, talking to the real contract handlers over
 * the HTTP bridge, with an OpenAI-compatible fake upstream behind it.
 */
const KEY = 'mgmt-e2e';
let upstream: FakeUpstream;
let sy: RunningEngine;
let b: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) return;
  await ensureRendererBuilt();
  upstream = await startOpenAIChatUpstream({ script: () => ({ text: ['Hello ', 'from ', 'upstream'], usage: { input: 7, output: 3 } }) });
  sy = await startEngine(
    [
      `remote-management: {secret-key: ${KEY}}`,
      'api-keys: [sk-client-e2e-00001111]',
      'openai-compatibility:',
      '  - name: fakeup',
      `    base-url: ${upstream.url}/v1`,
      '    api-key: sk-upstream-e2e-99998888',
      '    models: [{name: up-model}]',
    ].join('\n'),
  );
  b = await launchChromium();
  b.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openPanel(b.page, `${sy.url}/ui/`, KEY);
}, 60_000);
afterAll(async () => {
  await b?.close();
  await sy?.close();
  await upstream?.close();
});
beforeEach(async () => {
  if (!b) return;
  while (await b.page.locator('[role=dialog]').count()) await b.page.keyboard.press('Escape');
});

const chat = (model: string) =>
  fetch(`${sy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-client-e2e-00001111', 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });

describe.skipIf(!existsSync(CHROMIUM_PATH))('panel against the real engine', () => {
  it('shows the running proxy and the key account, never the upstream key', async () => {
    const p = b.page;
    await p.getByTestId('engine-state').waitFor();
    expect(await p.getByTestId('engine-state').textContent()).toBe('Running');
    expect(await p.getByTestId('base-url').textContent()).toBe(sy.url);
    await goTo(p, 'accounts');
    await p.locator('td .cell-main', { hasText: 'fakeup' }).waitFor();
    expect(await p.content()).not.toContain('sk-upstream-e2e-99998888');
    await shot(p, 'real-accounts');
  });

  it('shows live traffic in the log and the usage totals without a reload', async () => {
    const p = b.page;
    await goTo(p, 'logs');
    expect((await chat('up-model')).status).toBe(200);
    await p.locator('[data-testid=log-table] td', { hasText: 'up-model' }).first().waitFor({ timeout: 10_000 });
    await goTo(p, 'usage');
    await p.getByTestId('usage-total-requests').waitFor();
    const before = Number(await p.getByTestId('usage-total-requests').textContent());
    expect((await chat('up-model')).status).toBe(200);
    await p.waitForFunction((n) => Number(document.querySelector('[data-testid=usage-total-requests]')?.textContent) >= n, before + 1, { timeout: 10_000 });
  });

  it('creates an alias in the wizard and a test prompt goes through the real pipeline', async () => {
    const p = b.page;
    await goTo(p, 'mappings');
    await p.locator('input[name=alias]').fill('friendly');
    await p.getByRole('button', { name: 'Next' }).click();
    await p.locator('select[name=provider]').selectOption('openai-compatibility');
    await p.locator('input[name=upstreamModel]').fill('up-model');
    await p.getByRole('button', { name: 'Next' }).click();
    await p.getByTestId('route-preview').waitFor();
    await p.getByRole('button', { name: 'Create alias' }).click();
    await p.getByText('Alias friendly saved').waitFor({ timeout: 10_000 });
    await p.getByRole('button', { name: 'Send' }).click();
    await p.getByTestId('test-reply').waitFor({ timeout: 15_000 });
    const reply = await p.getByTestId('test-reply').textContent();
    await shot(p, 'real-wizard');
    expect(reply).toContain('Hello from upstream');
    expect(readFileSync(sy.configFile, 'utf8')).toMatch(/alias: friendly/);
    expect((await chat('friendly')).status).toBe(200);
  });

  it('writes a changed setting to config.yaml', async () => {
    const p = b.page;
    await goTo(p, 'settings');
    await p.locator('select[name=strategy]').selectOption('fill-first');
    await p.locator('.toast-success').first().waitFor({ timeout: 5000 });
    expect(readFileSync(sy.configFile, 'utf8')).toMatch(/strategy: fill-first/);
    await p.reload();
    await p.locator('nav .nav-item').first().waitFor();
    await goTo(p, 'settings');
    await p.locator('select[name=strategy]').waitFor();
    expect(await p.locator('select[name=strategy]').inputValue()).toBe('fill-first');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
