/**
 * Fake `app`, following Electron 41 where the shell depends on it:
 * - `whenReady()` resolves once the app is ready (a turn of the event loop after the first
 *   call, as in a fresh process); windows, trays and notifications cannot be made before that.
 * - `quit()` emits `before-quit` (preventDefault cancels), then asks every window to close (a
 *   `close` listener's preventDefault cancels the whole quit), then `will-quit` (preventDefault
 *   cancels) and `quit`. `window-all-closed` is not emitted while quitting. A quit already in
 *   progress ignores further `quit()` calls, like `Browser::Quit`.
 * - Login items are stored per executable path and args on Windows; `getLoginItemSettings`
 *   reports `openAtLogin` only when the given args match (defaults: execPath, []).
 * - `dock` exists on macOS only.
 */
import { EventEmitter } from 'node:events';
import { fake } from './state';
import { BrowserWindow } from './windows';

type Preventable = { defaultPrevented: boolean; preventDefault(): void };
function preventable(): Preventable {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

interface LoginSettingsIn {
  openAtLogin?: boolean;
  openAsHidden?: boolean;
  path?: string;
  args?: string[];
  name?: string;
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Switchyard';
  private ready = false;
  private readyPromise?: Promise<void>;
  private quitting = false;

  /** The app is ready from here on (resolves pending `whenReady()` and emits `ready`). */
  markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit('ready', {}, {});
  }
  /** Back to a fresh, not-ready process (resetFake). */
  resetLifecycle(): void {
    this.ready = false;
    this.readyPromise = undefined;
    this.quitting = false;
  }
  /** Between an accepted `before-quit` and the end (or cancellation) of the quit. */
  isQuittingNow(): boolean {
    return this.quitting;
  }
  getName(): string {
    return this.name;
  }
  getVersion(): string {
    return '0.1.0';
  }
  getAppPath(): string {
    return process.cwd();
  }
  getPath(name: string): string {
    return `/tmp/switchyard-fake/${name}`;
  }
  getLocale(): string {
    return 'en-US';
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    this.readyPromise ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.markReady();
        resolve();
      }),
    );
    return this.readyPromise;
  }
  /** Electron throws when a window, tray or notification is made before `ready`. */
  assertReady(what: string): void {
    if (!this.ready) throw new Error(`Cannot create ${what} before app is ready`);
  }
  requestSingleInstanceLock(): boolean {
    return fake.singleInstanceLock;
  }
  setAppUserModelId(id: string): void {
    if (fake.platform === 'win32') fake.appUserModelId = id;
  }

  private loginKey(o: { name?: string }): string {
    return fake.platform === 'win32' ? (o.name ?? fake.appUserModelId ?? 'electron.app.Switchyard') : 'main';
  }
  setLoginItemSettings(s: LoginSettingsIn): void {
    if (fake.platform !== 'darwin' && fake.platform !== 'win32') return; // no login items on Linux
    const key = this.loginKey(s);
    if (!s.openAtLogin) {
      fake.loginItems.delete(key);
      fake.loginItem = { openAtLogin: false, openAsHidden: false };
      return;
    }
    const entry = { openAtLogin: true, openAsHidden: !!s.openAsHidden, path: s.path ?? process.execPath, args: [...(s.args ?? [])] };
    fake.loginItems.set(key, entry);
    fake.loginItem = { openAtLogin: true, openAsHidden: entry.openAsHidden, args: entry.args };
  }
  getLoginItemSettings(o: { path?: string; args?: string[]; name?: string } = {}): {
    openAtLogin: boolean;
    openAsHidden: boolean;
    wasOpenedAtLogin: boolean;
    wasOpenedAsHidden: boolean;
    restoreState: boolean;
    executableWillLaunchAtLogin: boolean;
  } {
    const entry = fake.platform === 'darwin' || fake.platform === 'win32' ? fake.loginItems.get(this.loginKey(o)) : undefined;
    let open = !!entry;
    let sameExe = !!entry;
    if (entry && fake.platform === 'win32') {
      // Windows compares the Run entry's command line with the path and args asked about.
      sameExe = entry.path === (o.path ?? process.execPath);
      const args = o.args ?? [];
      open = sameExe && args.length === entry.args.length && args.every((a, i) => a === entry.args[i]);
    }
    return {
      openAtLogin: open,
      openAsHidden: open && entry!.openAsHidden,
      wasOpenedAtLogin: false,
      wasOpenedAsHidden: false,
      restoreState: false,
      executableWillLaunchAtLogin: sameExe,
    };
  }

  quit(): void {
    fake.quitCalls += 1;
    if (this.quitting || fake.quitted) return;
    const ev = preventable();
    fake.quitLog.push('before-quit');
    this.emit('before-quit', ev);
    if (ev.defaultPrevented) return;
    this.quitting = true;
    if (!this.closeAllWindows()) {
      this.quitting = false;
      return;
    }
    this.notifyAndShutdown();
  }

  /**
   * The native updater's order (Squirrel.Mac, `autoUpdater.quitAndInstall()`): windows close
   * first, then `before-quit` and the rest.
   */
  quitForUpdate(): void {
    if (this.quitting || fake.quitted) return;
    this.quitting = true;
    if (!this.closeAllWindows()) {
      this.quitting = false;
      return;
    }
    const ev = preventable();
    fake.quitLog.push('before-quit');
    this.emit('before-quit', ev);
    this.notifyAndShutdown();
  }

  /** Every window is asked to close; one that refuses cancels the quit. */
  private closeAllWindows(): boolean {
    let cancelled = false;
    for (const w of BrowserWindow.getAllWindows()) {
      fake.quitLog.push(`close:${w.id}`);
      if (!w.close()) cancelled = true;
    }
    return !cancelled && BrowserWindow.getAllWindows().length === 0;
  }

  private notifyAndShutdown(): void {
    const ev = preventable();
    fake.quitLog.push('will-quit');
    this.emit('will-quit', ev);
    if (ev.defaultPrevented) {
      this.quitting = false;
      return;
    }
    fake.quitLog.push('quit');
    fake.quitted = true;
    this.emit('quit', preventable(), 0);
  }

  /** Exits at once: windows are destroyed without `close`, no quit events. */
  exit(code = 0): void {
    fake.exitCodes.push(code);
    for (const w of BrowserWindow.getAllWindows()) w.destroy();
  }
  focus(): void {}
  private readonly macDock = {
    hide: () => void (fake.dockHidden = true),
    show: async () => void (fake.dockHidden = false),
    setBadge: () => {},
    isVisible: () => !fake.dockHidden,
  };
  get dock(): FakeApp['macDock'] | undefined {
    return fake.platform === 'darwin' ? this.macDock : undefined;
  }
}

export const app = new FakeApp();
