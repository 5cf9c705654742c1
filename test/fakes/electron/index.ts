/**
 * A small, inspectable fake of the Electron main-process API the shell uses. vitest aliases
 * `electron` here (vitest.config.ts); `require-hook.ts` makes CommonJS packages that load
 * `electron` themselves (electron-updater) get this same module. Tests drive it through the
 * exported classes and read what the shell built from `fake`.
 */
import { EventEmitter } from 'node:events';
import { installElectronRequireHook } from './require-hook';
import { FakeNativeImage, nativeImage } from './native-image';
import { FakeMenu, FakeMenuItem, Menu, MenuItem } from './menu';
import { BrowserWindow, FakeWebContents, FakeWebFrameMain, hooks, webContents } from './windows';
import { FakeSession } from './session';
import { fake } from './state';
import { app, FakeApp } from './app';
import { FakeAppUpdater } from './updater';

export { FakeSession, FakeNativeImage, nativeImage, FakeMenu, FakeMenuItem, Menu, MenuItem, BrowserWindow, FakeWebContents, FakeWebFrameMain, webContents };

export { fake, app, FakeApp, FakeAppUpdater };
export type { LoginItemEntry } from './state';

export class Tray extends EventEmitter {
  image: FakeNativeImage;
  tooltip = '';
  title = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  bounds = { x: 1000, y: 0, width: 22, height: 22 };
  constructor(image: FakeNativeImage | string) {
    super();
    app.assertReady('Tray');
    this.image = typeof image === 'string' ? nativeImage.createEmpty() : image;
    fake.trays.push(this);
  }
  setImage(image: FakeNativeImage): void {
    this.image = image;
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setTitle(t: string): void {
    this.title = t;
  }
  setContextMenu(m: FakeMenu | null): void {
    this.menu = m;
  }
  poppedUp: FakeMenu[] = [];
  popUpContextMenu(menu?: FakeMenu): void {
    if (menu) this.poppedUp.push(menu);
  }
  getBounds() {
    return this.bounds;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Test helper: simulate a left click. */
  click(): void {
    this.emit('click', {}, this.bounds);
  }
  /** Test helper: simulate a right click. */
  rightClick(): void {
    this.emit('right-click', {}, this.bounds);
  }
}

export class Notification extends EventEmitter {
  /** macOS and Windows always; Linux when a notification daemon answers (libnotify). */
  static isSupported(): boolean {
    if (fake.platform === 'darwin' || fake.platform === 'win32') return true;
    return fake.linuxNotificationDaemon;
  }
  shown = false;
  constructor(readonly options: { title: string; body?: string; silent?: boolean }) {
    super();
    app.assertReady('Notification');
    fake.notifications.push(this);
  }
  get title(): string {
    return this.options.title;
  }
  get body(): string {
    return this.options.body ?? '';
  }
  /** Windows shows a toast only for an app with an AppUserModelID; Linux needs the daemon. */
  show(): void {
    if (fake.platform === 'win32' && !fake.appUserModelId) return;
    if (!Notification.isSupported()) return;
    this.shown = true;
    this.emit('show', {});
  }
  close(): void {}
}

type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;
class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, IpcHandler>();
  handle(channel: string, fn: IpcHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Test helper: what `ipcRenderer.invoke` from `sender`'s frame would get (errors reject, like Electron). */
  async invoke(channel: string, sender: { webContents: FakeWebContents; frame?: FakeWebFrameMain }, ...args: unknown[]): Promise<unknown> {
    const fn = this.handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    const frame = sender.frame ?? sender.webContents.mainFrame;
    return fn({ sender: sender.webContents, senderFrame: frame, processId: 1, frameId: frame.routingId }, ...args);
  }
}
export const ipcMain = new FakeIpcMain();

export const shell = {
  openExternal: async (url: string): Promise<void> => {
    fake.openedExternal.push(url);
  },
  openPath: async (): Promise<string> => '',
  showItemInFolder: (): void => {},
};

export const clipboard = {
  writeText: (text: string): void => {
    fake.clipboard = text;
  },
  readText: (): string => fake.clipboard,
};

export const dialog = {
  showMessageBox: async (...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> => {
    const options = (args.length > 1 ? args[1] : args[0]) as Record<string, unknown>;
    const response = fake.nextDialogResponse;
    fake.dialogs.push({ options, response });
    return { response, checkboxChecked: false };
  },
  showErrorBox: (title: string, content: string): void => {
    fake.dialogs.push({ options: { title, message: content }, response: 0 });
  },
};

export const session = {
  defaultSession: new FakeSession(),
  fromPartition: (): FakeSession => session.defaultSession,
};

/** Fake `protocol`: keeps the registered schemes and handlers; `fetch` calls a handler. */
export const protocol = {
  privileged: [] as Array<{ scheme: string; privileges?: Record<string, boolean> }>,
  handlers: new Map<string, (req: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: Record<string, boolean> }>): void {
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, fn: (req: Request) => Response | Promise<Response>): void {
    protocol.handlers.set(scheme, fn);
  },
  unhandle(scheme: string): void {
    protocol.handlers.delete(scheme);
  },
  /** Test helper: what the page would get for `url`. */
  async fetch(url: string): Promise<Response> {
    const fn = protocol.handlers.get(new URL(url).protocol.replace(/:$/, ''));
    if (!fn) throw new Error(`no protocol handler for ${url}`);
    return fn(new Request(url));
  },
};

export const screen = {
  getCursorScreenPoint: () => ({ x: 1000, y: 0 }),
  getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
};

/**
 * Electron's native `autoUpdater` (electron-updater emits `before-quit-for-update` on it).
 * Its `quitAndInstall` closes the windows before `before-quit`, as the docs note.
 */
class FakeNativeAutoUpdater extends EventEmitter {
  quitAndInstall(): void {
    this.emit('before-quit-for-update');
    app.quitForUpdate();
  }
}
export const autoUpdater = new FakeNativeAutoUpdater();

/** electron-updater's `autoUpdater` with its real semantics, bound to this fake app. */
export function createFakeAppUpdater(): FakeAppUpdater {
  return new FakeAppUpdater(app, autoUpdater);
}
export const net = { request: (): never => { throw new Error('net.request is not available in tests'); } };

/** Clear everything the shell recorded (call in beforeEach). */
export function resetFake(): void {
  fake.platform = process.platform;
  fake.loginItems.clear();
  fake.quitLog.length = 0;
  fake.quitted = false;
  fake.linuxNotificationDaemon = true;
  fake.appUserModelId = undefined;
  fake.failingLoads.clear();
  app.resetLifecycle();
  autoUpdater.removeAllListeners();
  fake.trays.length = 0;
  fake.notifications.length = 0;
  fake.openedExternal.length = 0;
  fake.clipboard = '';
  fake.loginItem = { openAtLogin: false, openAsHidden: false };
  fake.singleInstanceLock = true;
  fake.quitCalls = 0;
  fake.exitCodes.length = 0;
  fake.dialogs.length = 0;
  fake.nextDialogResponse = 0;
  fake.dockHidden = false;
  app.removeAllListeners();
  app.isPackaged = false;
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  BrowserWindow.all.length = 0;
  session.defaultSession = new FakeSession();
  protocol.handlers.clear();
  FakeMenu.applicationMenu = undefined;
  protocol.privileged.length = 0;
}

/** `resetFake()`, then let the app become ready (what every test after `whenReady` starts from). */
export async function readyFake(): Promise<void> {
  resetFake();
  await app.whenReady();
}

const electron = {
  app, Tray, Menu, MenuItem, BrowserWindow, ipcMain, shell, Notification, nativeImage, session, dialog, clipboard,
  screen, autoUpdater, net, webContents, protocol,
};
export default electron;

installElectronRequireHook(electron);
hooks.webContentsCreated = (wc) => void app.emit('web-contents-created', { preventDefault() {} }, wc);
hooks.defaultSession = () => session.defaultSession;
hooks.assertReady = (what) => app.assertReady(what);
hooks.loadFailure = (url) => fake.failingLoads.get(url);
// Electron quits when the last window closes unless someone listens (and never while quitting).
hooks.allClosed = () => {
  if (app.isQuittingNow()) return;
  if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
  else app.quit();
};
