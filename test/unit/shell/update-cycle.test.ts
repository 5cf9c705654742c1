/**
 * A whole update cycle through the desktop boot, with electron-updater's semantics (the fake's
 * `createFakeAppUpdater`): check → download → "Restart to update" → confirm → the engine stops,
 * every window closes, the app quits and the downloaded version is installed.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, BrowserWindow, createFakeAppUpdater, fake, readyFake, type FakeMenu } from '../../fakes/electron';
import { bootDesktop } from '../../../src-main/shell/boot';
import { LoginItem } from '../../../src-main/shell/login-item';
import { fakeControl, FakeDesktop } from './fake-engine';

beforeEach(() => readyFake());

async function bootWithUpdater() {
  app.isPackaged = true;
  const engine = new FakeDesktop();
  const updater = createFakeAppUpdater();
  const closed: string[] = [];
  const shell = await bootDesktop({
    preloadPath: '/app/dist/preload/preload.cjs',
    rendererDir: '/app/dist/renderer',
    startHidden: false,
    loginItem: new LoginItem({ platform: 'linux', configHome: mkdtempSync(path.join(os.tmpdir(), 'sy-xdg-')) }),
    openEngine: async () => ({ control: fakeControl(engine).control, close: async () => void closed.push('engine closed') }),
    loadUpdater: async () => updater,
    log: () => {},
  });
  const menu = () => fake.trays[0].menu as FakeMenu;
  return { engine, updater, shell, closed, menu };
}

describe('update cycle', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('%s: download → "Restart to update" → every window closes → installed', async (platform) => {
    fake.platform = platform;
    const { engine, updater, shell, closed, menu } = await bootWithUpdater();
    await vi.waitFor(() => expect(engine.state).toBe('running'));
    shell.windows.toggleTrayWindow({ x: 1000, y: 0, width: 22, height: 22 });
    expect(BrowserWindow.getAllWindows()).toHaveLength(2);

    updater.next = { version: '0.2.0' };
    await menu().get('Check for updates').click();
    await vi.waitFor(() => expect(menu().find('Restart to update to 0.2.0')).toBeDefined());
    fake.nextDialogResponse = 0; // "Restart now"
    await menu().get('Restart to update to 0.2.0').click();

    await vi.waitFor(() => expect(fake.quitted).toBe(true));
    expect(updater.quitAndInstallCalls).toEqual([[false, true]]);
    expect(BrowserWindow.getAllWindows()).toEqual([]);
    expect(engine.calls).toEqual(['start', 'stop']);
    expect(closed).toEqual(['engine closed']);
    expect(updater.installed).toEqual({ version: '0.2.0', silent: false });
  });

  it('"Later" keeps everything running and installs nothing on a plain quit', async () => {
    const { updater, menu, engine } = await bootWithUpdater();
    updater.next = { version: '0.2.0' };
    await menu().get('Check for updates').click();
    await vi.waitFor(() => expect(menu().find('Restart to update to 0.2.0')).toBeDefined());
    fake.nextDialogResponse = 1; // "Later"
    await menu().get('Restart to update to 0.2.0').click();
    await new Promise((r) => setImmediate(r));
    expect(fake.quitted).toBe(false);
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);
    await menu().get('Quit Switchyard').click();
    await vi.waitFor(() => expect(fake.quitted).toBe(true));
    expect(engine.calls).toEqual(['start', 'stop']);
    expect(updater.installed).toBeNull();
  });
});

describe('update cycle that cannot complete', () => {
  it('an install whose file vanished quits nothing; the tray stays, Start and Quit still work', async () => {
    const { updater, menu, engine } = await bootWithUpdater();
    await vi.waitFor(() => expect(engine.state).toBe('running'));
    const errors: string[] = [];
    updater.on('error', (e: Error) => errors.push(e.message));
    updater.next = { version: '0.2.0' };
    await menu().get('Check for updates').click();
    await vi.waitFor(() => expect(menu().find('Restart to update to 0.2.0')).toBeDefined());
    updater.downloaded = null; // the downloaded installer was removed (disk cleaner, antivirus)
    fake.nextDialogResponse = 0;
    await menu().get('Restart to update to 0.2.0').click();
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual(["No update filepath provided, can't quit and install"]);
    expect(fake.quitted).toBe(false);
    expect(fake.trays[0].isDestroyed()).toBe(false);
    await vi.waitFor(() => expect(menu().get('toggle').label).toBe('Start proxy'));
    await menu().get('Start proxy').click();
    expect(engine.state).toBe('running');
    await menu().get('Quit Switchyard').click();
    await vi.waitFor(() => expect(fake.quitted).toBe(true));
    expect(engine.calls).toEqual(['start', 'stop', 'start', 'stop']);
  });
});
