import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { app, BrowserWindow, fake, protocol, resetFake } from '../../fakes/electron';

const home = mkdtempSync(path.join(os.tmpdir(), 'sy-home-'));
const saved = process.env.SWITCHYARD_HOME;

beforeEach(() => {
  resetFake();
  process.env.SWITCHYARD_HOME = home;
  // Port 0: the real engine picks a free port, so parallel test files never collide.
  writeFileSync(path.join(home, 'config.yaml'), 'host: 127.0.0.1\nport: 0\nsecret-store: file\nusage-sqlite:\n  enable: false\n');
});

afterAll(() => {
  if (saved === undefined) delete process.env.SWITCHYARD_HOME;
  else process.env.SWITCHYARD_HOME = saved;
});

describe('main.ts', () => {
  it('a second instance quits at once and builds nothing', async () => {
    fake.singleInstanceLock = false;
    const { main } = await import('../../../src-main/main');
    await main();
    expect(fake.quitCalls).toBeGreaterThanOrEqual(1);
    expect(fake.trays).toEqual([]);
    expect(protocol.privileged).toEqual([]);
  });

  it('the first instance runs the real engine in-process, shows it in the tray, and Quit stops it', async () => {
    process.argv.push('--hidden');
    try {
      const { main } = await import('../../../src-main/main');
      await main();
    } finally {
      process.argv.splice(process.argv.indexOf('--hidden'), 1);
    }
    expect(protocol.privileged.map((p) => p.scheme)).toContain('app');
    const tray = fake.trays.at(-1)!;
    await vi.waitFor(() => expect(tray.tooltip).toMatch(/^Switchyard — running on :\d+ · 0 accounts$/), { timeout: 5000 });
    const port = Number(/:(\d+)/.exec(tray.tooltip)![1]);
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    // Launched by the login item: no window.
    expect(BrowserWindow.getAllWindows()).toEqual([]);
    // A second launch elsewhere brings the window up in this instance.
    app.emit('second-instance');
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);

    await tray.menu!.get('Quit Switchyard').click();
    await vi.waitFor(() => expect(tray.isDestroyed()).toBe(true), { timeout: 12_000 });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 20_000);
});
