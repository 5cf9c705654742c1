import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { CHROMIUM_PATH, launchChromium, type Browser } from './chromium';
import { ensureRendererBuilt } from './ui-server';
import { goTo, openPanel } from './helpers';
import { startEngine, type RunningEngine } from '../integration/harness';

/**
 * The panel served by a headless `serve`: what cannot work from here is hidden and explained;
 * a port change saved in Settings is applied by "Restart now" and the panel follows the server.
 */
const KEY = 'mgmt-headless';
let sy: RunningEngine;
let b: Browser;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) return;
  await ensureRendererBuilt();
  sy = await startEngine(`remote-management: {secret-key: ${KEY}}\napi-keys: [sk-client-headless-0001]\n`);
  b = await launchChromium();
}, 60_000);
afterAll(async () => {
  await b?.close();
  await sy?.close();
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('headless honesty', () => {
  it('hides Stop and says why; Restart applies a new port and the panel follows', async () => {
    const p = b.page;
    await openPanel(p, `${sy.url}/ui/`, KEY);
    await p.getByTestId('headless-note').waitFor();
    expect(await p.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);

    const port = await freePort();
    await goTo(p, 'settings');
    await p.locator('input[name=port]').fill(String(port));
    await p.locator('input[name=port]').press('Enter');
    await p.getByRole('button', { name: 'Restart now' }).click();
    await p.waitForURL((u) => u.port === String(port), { timeout: 20_000 });
    // Storage is per origin: the new address asks for the key once, then shows the same server.
    await openPanel(p, `http://127.0.0.1:${port}/ui/`, KEY);
    await goTo(p, 'dashboard');
    await p.getByTestId('base-url').waitFor();
    expect(await p.getByTestId('base-url').textContent()).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`${sy.url}/ui/`).catch(() => null))?.ok ?? false).toBe(false);
  }, 90_000);
});
