/**
 * The Electron fake follows Electron 41 where the shell depends on it (app.quit order,
 * readiness, failing loads, login items per args, platform-bound dock and notifications), so a
 * shell test cannot pass on behaviour the real runtime would not have.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { app, BrowserWindow, createFakeAppUpdater, fake, nativeImage, Notification, readyFake, resetFake, Tray } from '../../fakes/electron';
import { WindowManager } from '../../../src-main/shell/windows';

beforeEach(() => resetFake());

describe('Electron fake: readiness', () => {
  it('windows, trays and notifications cannot be made before the app is ready', async () => {
    expect(app.isReady()).toBe(false);
    expect(() => new BrowserWindow({})).toThrow(/before app is ready/);
    expect(() => new Tray('icon.png')).toThrow(/before app is ready/);
    expect(() => new Notification({ title: 't' })).toThrow(/before app is ready/);
    await app.whenReady();
    expect(app.isReady()).toBe(true);
    expect(new BrowserWindow({}).isDestroyed()).toBe(false);
  });
});

describe('Electron fake: app.quit()', () => {
  beforeEach(() => readyFake());

  it('before-quit, then every window closes, then will-quit and quit', () => {
    const a = new BrowserWindow({});
    const b = new BrowserWindow({ show: false });
    app.quit();
    expect(fake.quitLog).toEqual(['before-quit', `close:${a.id}`, `close:${b.id}`, 'will-quit', 'quit']);
    expect(a.isDestroyed() && b.isDestroyed()).toBe(true);
    expect(fake.quitted).toBe(true);
  });

  it('preventDefault in before-quit cancels before any window is asked', () => {
    const a = new BrowserWindow({});
    app.once('before-quit', (e: { preventDefault(): void }) => e.preventDefault());
    app.quit();
    expect(fake.quitLog).toEqual(['before-quit']);
    expect(a.isDestroyed()).toBe(false);
    expect(fake.quitted).toBe(false);
  });

  it('a window that keeps itself open in close cancels the quit; a later quit starts over', () => {
    const a = new BrowserWindow({});
    const keep = (e: { preventDefault(): void }) => e.preventDefault();
    a.on('close', keep);
    app.quit();
    expect(fake.quitLog).toEqual(['before-quit', `close:${a.id}`]);
    expect(fake.quitted).toBe(false);
    a.off('close', keep);
    app.quit();
    expect(fake.quitted).toBe(true);
  });

  it('preventDefault in will-quit cancels; window-all-closed is not emitted while quitting', () => {
    new BrowserWindow({});
    let allClosed = 0;
    app.on('window-all-closed', () => allClosed++);
    app.once('will-quit', (e: { preventDefault(): void }) => e.preventDefault());
    app.quit();
    expect(fake.quitted).toBe(false);
    expect(allClosed).toBe(0);
    app.quit();
    expect(fake.quitted).toBe(true);
  });

  it('closing the last window outside a quit quits, unless someone listens to window-all-closed', () => {
    new BrowserWindow({}).close();
    expect(fake.quitted).toBe(true);
  });

  it("electron-updater's quitAndInstall quits through app.quit on the next turn; nothing is installed when the quit is cancelled", async () => {
    const u = createFakeAppUpdater();
    u.autoInstallOnAppQuit = false;
    const errors: string[] = [];
    u.on('error', (e: Error) => errors.push(e.message));
    u.quitAndInstall();
    expect(errors).toEqual(["No update filepath provided, can't quit and install"]);
    expect(u.quitAndInstallCalls).toEqual([]); // nothing downloaded: an error, no quit
    u.next = { version: '0.2.0' };
    await u.checkForUpdates();
    const w = new BrowserWindow({});
    w.on('close', (e: { preventDefault(): void }) => e.preventDefault());
    u.quitAndInstall(false, true);
    expect(fake.quitLog).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(fake.quitLog).toEqual(['before-quit', `close:${w.id}`]);
    expect(u.installed).toBeNull();
    u.quitAndInstall(false, true); // ignored: "quitAndInstallCalled is set to true"
    expect(u.quitAndInstallCalls).toHaveLength(1);
  });

  it('on macOS the native updater closes the windows before before-quit', async () => {
    fake.platform = 'darwin';
    const u = createFakeAppUpdater();
    u.next = { version: '0.2.0' };
    await u.checkForUpdates();
    const w = new BrowserWindow({});
    u.quitAndInstall();
    await new Promise((r) => setImmediate(r));
    expect(fake.quitLog).toEqual([`close:${w.id}`, 'before-quit', 'will-quit', 'quit']);
    expect(u.installed).toEqual({ version: '0.2.0', silent: false });
  });
});

describe('Electron fake: windows, login items, platform', () => {
  beforeEach(() => readyFake());

  it('loadURL rejects when the page fails to load; the window manager logs it instead of an unhandled rejection', async () => {
    fake.failingLoads.set('http://localhost:5173/index.html', 'ERR_CONNECTION_REFUSED');
    const w = new BrowserWindow({});
    await expect(w.loadURL('http://localhost:5173/index.html')).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
    const log: string[] = [];
    const wm = new WindowManager({ preload: '/p.cjs', devServerUrl: 'http://localhost:5173', packaged: false, isQuitting: () => false, log: (m) => log.push(m), platform: 'linux' });
    wm.openMain();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(["could not load http://localhost:5173/index.html: ERR_CONNECTION_REFUSED (-102) loading 'http://localhost:5173/index.html'"]);
  });

  it('Windows keeps the login item with its args: asking without them reads false', () => {
    fake.platform = 'win32';
    app.setLoginItemSettings({ openAtLogin: true, args: ['--hidden'] });
    expect(app.getLoginItemSettings().openAtLogin).toBe(false);
    expect(app.getLoginItemSettings().executableWillLaunchAtLogin).toBe(true);
    expect(app.getLoginItemSettings({ args: ['--hidden'] }).openAtLogin).toBe(true);
  });

  it('Linux has no login items; macOS ignores args', () => {
    fake.platform = 'linux';
    app.setLoginItemSettings({ openAtLogin: true });
    expect(app.getLoginItemSettings().openAtLogin).toBe(false);
    fake.platform = 'darwin';
    app.setLoginItemSettings({ openAtLogin: true, args: ['--hidden'] });
    expect(app.getLoginItemSettings().openAtLogin).toBe(true);
  });

  it('app.dock exists on macOS only; notifications follow the platform', () => {
    fake.platform = 'linux';
    expect(app.dock).toBeUndefined();
    fake.linuxNotificationDaemon = false;
    expect(Notification.isSupported()).toBe(false);
    fake.platform = 'darwin';
    expect(app.dock).toBeDefined();
    expect(Notification.isSupported()).toBe(true);
    fake.platform = 'win32';
    const n = new Notification({ title: 'no AppUserModelID' });
    n.show();
    expect(n.shown).toBe(false);
    app.setAppUserModelId('dev.switchyard.app');
    n.show();
    expect(n.shown).toBe(true);
  });
});

describe('Electron fake: nativeImage bitmaps (electron_api_native_image.cc)', () => {
  it('createFromBitmap takes width × height × 4 bytes of premultiplied BGRA and throws on anything else', () => {
    expect(() => nativeImage.createFromBitmap(Buffer.alloc(15), { width: 2, height: 2 })).toThrow('invalid buffer size');
    expect(() => nativeImage.createFromBitmap(Buffer.alloc(17), { width: 2, height: 2 })).toThrow('invalid buffer size');
    expect(() => nativeImage.createFromBitmap(Buffer.alloc(16), { height: 2 } as never)).toThrow('width is required');
    expect(() => nativeImage.createFromBitmap(Buffer.alloc(16), { width: 2 } as never)).toThrow('height is required');
    expect(() => nativeImage.createFromBitmap(new Uint8Array(16) as never, { width: 2, height: 2 })).toThrow('buffer must be a node Buffer');
    expect(nativeImage.createFromBitmap(Buffer.alloc(0), { width: 0, height: 0 }).isEmpty()).toBe(true);
    // One opaque red pixel and one half-transparent blue one (premultiplied: 128 of 255).
    const img = nativeImage.createFromBitmap(Buffer.from([0, 0, 255, 255, 128, 0, 0, 128]), { width: 2, height: 1, scaleFactor: 2 });
    expect(img.getSize()).toEqual({ width: 1, height: 1 });
    expect([...img.toBitmap()]).toEqual([0, 0, 255, 255, 128, 0, 0, 128]);
  });

  it('addRepresentation adds a bitmap only with its size, and never throws', () => {
    const img = nativeImage.createFromBitmap(Buffer.alloc(4), { width: 1, height: 1 });
    img.addRepresentation({ scaleFactor: 2, buffer: Buffer.alloc(16) });
    img.addRepresentation({ scaleFactor: 2, width: 2, height: 2, buffer: Buffer.alloc(15) });
    expect(img.getScaleFactors()).toEqual([1]);
    img.addRepresentation({ scaleFactor: 2, width: 2, height: 2, buffer: Buffer.alloc(16) });
    expect(img.getScaleFactors()).toEqual([1, 2]);
    expect(img.getSize(2)).toEqual({ width: 1, height: 1 });
  });
});
