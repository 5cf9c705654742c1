import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { app, BrowserWindow, fake, ipcMain, readyFake, type FakeMenu } from '../../fakes/electron';
import { invokeChannels } from '../../../src-shared/contract';
import { LoginItem } from '../../../src-main/shell/login-item';
import { startShell } from '../../../src-main/shell/shell-app';
import { fakeControl, FakeDesktop, fourAccounts, NOW } from './fake-engine';

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(o: { startHidden?: boolean; startProxyAtLaunch?: boolean; engine?: FakeDesktop } = {}) {
  const engine = o.engine ?? new FakeDesktop();
  const notes: string[] = [];
  const loginItem = new LoginItem({ platform: 'linux', configHome: mkdtempSync(path.join(os.tmpdir(), 'sy-xdg-')), exec: '/opt/Switchyard/switchyard' });
  const { control, events } = fakeControl(engine);
  const shell = startShell({
    control,
    preloadPath: '/app/dist/preload/preload.cjs',
    rendererDir: '/app/dist/renderer',
    startHidden: o.startHidden ?? true,
    startProxyAtLaunch: o.startProxyAtLaunch,
    loginItem,
    notify: (t, b) => notes.push(`${t}: ${b}`),
    now: () => NOW,
    trayThrottleMs: 0,
    platform: 'linux',
  });
  const menu = () => fake.trays[0].menu as FakeMenu;
  return { engine, shell, notes, menu, loginItem, events };
}

beforeEach(() => readyFake());

describe('desktop shell', () => {
  it('starts the proxy at launch by default and stays in the tray when launched hidden', async () => {
    const { engine, shell } = setup();
    await flush();
    expect(engine.calls).toEqual(['start']);
    expect(engine.state).toBe('running');
    expect(shell.windows.mainWindow).toBeUndefined();
    expect(fake.trays[0].tooltip).toBe('Switchyard — running on :8317 · 0 accounts');
  });

  it('"start proxy at launch" off leaves it stopped; a normal launch opens the window', () => {
    const { engine, shell } = setup({ startProxyAtLaunch: false, startHidden: false });
    expect(engine.calls).toEqual([]);
    expect(shell.windows.mainWindow?.isVisible()).toBe(true);
  });

  it('the sign-in item opens the provider authorize URL in the system browser', async () => {
    const engine = new FakeDesktop();
    fourAccounts(engine);
    const { menu } = setup({ engine });
    await menu().get('sign-in:claude').click();
    await flush();
    expect(fake.openedExternal).toEqual([engine.signInUrls.claude]);
  });

  it('when the engine opens the URL itself (through the validated opener) it is opened once', async () => {
    const engine = new FakeDesktop();
    const { createOpener } = await import('../../../src-main/shell/opener');
    engine.openUrl = createOpener();
    const { menu } = setup({ engine });
    await menu().get('sign-in:codex').click();
    await flush();
    expect(fake.openedExternal).toEqual([engine.signInUrls.codex]);
  });

  it('an unsafe sign-in URL is never opened', async () => {
    const engine = new FakeDesktop();
    engine.signInUrls.claude = 'file:///etc/passwd';
    engine.signInUrls.codex = 'http://attacker.example/login';
    const { menu, notes } = setup({ engine });
    await menu().get('sign-in:claude').click();
    await menu().get('sign-in:codex').click();
    await flush();
    expect(fake.openedExternal).toEqual([]);
    expect(notes).toEqual(['Sign-in failed: The sign-in address was not a safe https URL.', 'Sign-in failed: The sign-in address was not a safe https URL.']);
  });

  it('Copy base URL puts the running address on the clipboard', async () => {
    const { menu } = setup();
    await flush();
    await menu().get('Copy base URL').click();
    expect(fake.clipboard).toBe('http://127.0.0.1:8317');
  });

  it('closing every window does not quit; Quit stops the engine first, then quits once', async () => {
    const { engine, menu, shell } = setup({ startHidden: false });
    await flush();
    shell.windows.mainWindow!.close();
    expect(app.listenerCount('window-all-closed')).toBe(1);
    expect(fake.quitCalls).toBe(0);
    expect(shell.windows.mainWindow?.isDestroyed()).toBe(false);
    await menu().get('Quit Switchyard').click();
    await flush();
    expect(engine.calls).toEqual(['start', 'stop']);
    expect(fake.quitCalls).toBe(1);
    expect(fake.trays[0].isDestroyed()).toBe(true);
    expect(shell.quitting).toBe(true);
  });

  it('a quit from elsewhere (Cmd+Q, logout) waits for the engine to stop', async () => {
    const { engine } = setup();
    await flush();
    app.quit(); // first attempt is held back while the engine stops
    await flush();
    expect(engine.calls).toEqual(['start', 'stop']);
    expect(fake.quitCalls).toBe(2);
  });

  it('port busy at launch shows the error state and a notification', async () => {
    const engine = new FakeDesktop();
    engine.failNextStart = 'port 8317 is already in use';
    const { notes, menu } = setup({ engine });
    await flush();
    expect(notes).toEqual(['Port busy: port 8317 is already in use']);
    expect(menu().labels()[0]).toBe('Error: port 8317 is already in use');
  });

  it("quota warnings are the engine's: snapshots alone never notify, threshold events do, once each", async () => {
    const engine = new FakeDesktop();
    fourAccounts(engine);
    const { notes } = setup({ engine });
    // At launch: Bob needs a sign-in. Codex at 85 % used is the engine's business to warn about.
    expect(notes).toEqual(['Sign-in needed: Claude · bob@example.com needs you to sign in again.']);
    engine.setQuota('x1', [
      { id: '5h', label: '5h', usedPercent: 96, resetAt: NOW + 1_800_000 },
      { id: 'credits', label: 'Credits', usedPercent: 100, resetAt: null, isBalance: true, balance: 0 },
    ]);
    expect(notes).toHaveLength(1);
    engine.crossThreshold({ accountId: 'x1', provider: 'codex', accountLabel: 'cy@example.com', windowId: '5h', windowLabel: '5h', level: 'critical', percentLeft: 4, resetAt: NOW + 1_800_000 });
    expect(notes[1]).toBe('Quota low: Codex · cy@example.com: 5h window 4% left, resets in 30m.');
    expect(notes).toHaveLength(2);
  });

  it('the tray menu and notifications follow the app language', async () => {
    const engine = new FakeDesktop();
    fourAccounts(engine);
    engine.languagePref = 'zh-CN';
    const { notes, menu } = setup({ engine });
    await flush();
    expect(notes).toEqual(['需要登录: Claude · bob@example.com 需要重新登录。']);
    expect(menu().labels().slice(0, 4)).toEqual(['运行中，端口 :8317', '停止代理', '复制基础 URL', '打开 Switchyard']);
    // Switching the language in the app rebuilds the menu in it.
    engine.languagePref = 'en';
    engine.emit({ type: 'settings' });
    expect(menu().labels()[1]).toBe('Stop proxy');
  });

  it('Launch at login toggles the OS login item', async () => {
    const { menu, loginItem } = setup();
    expect(menu().get('Launch at login').checked).toBe(false);
    await menu().get('Launch at login').click();
    expect(loginItem.enabled).toBe(true);
    expect(menu().get('Launch at login').checked).toBe(true);
    await menu().get('Launch at login').click();
    expect(loginItem.enabled).toBe(false);
  });

  it('every contract channel of the control is served to our windows and its events are broadcast', async () => {
    const { shell, events } = setup({ startHidden: false });
    expect(ipcMain.handlers.size).toBe(invokeChannels.length);
    const win = shell.windows.mainWindow as unknown as BrowserWindow;
    await flush();
    for (const l of events) l({ event: 'app:accounts:changed', payload: { accounts: [] } });
    expect(win.webContents.sent).toEqual([{ channel: 'app:accounts:changed', args: [{ accounts: [] }] }]);
  });

  it('installs no application menu on Linux/Windows; macOS gets the standard roles', async () => {
    setup();
    const { Menu } = await import('../../fakes/electron');
    expect(Menu.applicationMenu).toBeNull();
    const { appMenuTemplate } = await import('../../../src-main/shell/app-menu');
    expect(appMenuTemplate('darwin')!.map((i) => i.role)).toEqual(['appMenu', 'editMenu', 'viewMenu', 'windowMenu']);
  });

  it('Check for updates without an updater explains instead of failing', async () => {
    const { menu } = setup();
    await menu().get('Check for updates').click();
    await flush();
    expect(fake.dialogs[0].options.message).toBe('Updates are not available in this build.');
  });
});
