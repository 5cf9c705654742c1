/**
 * Desktop start-up after `app.whenReady()`: open the engine, load the updater in packaged
 * builds, start the shell, and release the engine when the app finally quits.
 */
import { app } from 'electron';
import { openDesktopRuntime, type DesktopRuntimeOptions, type DesktopRuntime } from './open-engine';
import { LoginItem } from './login-item';
import { createOpener } from './opener';
import { startShell, type Shell } from './shell-app';
import { loadAutoUpdater, type UpdaterLike } from './updater';

export interface BootOptions {
  preloadPath: string;
  rendererDir: string;
  devServerUrl?: string;
  startHidden: boolean;
  openEngine?: (o: DesktopRuntimeOptions) => Promise<DesktopRuntime>;
  loginItem?: LoginItem;
  loadUpdater?: () => Promise<UpdaterLike | null>;
  log?: (msg: string) => void;
}

export async function bootDesktop(o: BootOptions): Promise<Shell> {
  const log = o.log ?? ((m: string) => process.stderr.write(`switchyard: ${m}\n`));
  const opener = createOpener(undefined, log);
  const loginItem = o.loginItem ?? new LoginItem();
  const desktop = await (o.openEngine ?? openDesktopRuntime)({
    version: app.getVersion(),
    openUrl: opener,
    // "Launch at login" changed in the settings page: apply it to the OS.
    onPrefsChanged: (p) => {
      if (p.launchAtLogin === null || p.launchAtLogin === loginItem.enabled) return;
      try {
        loginItem.set(p.launchAtLogin);
      } catch (err) {
        log(`launch at login: ${(err as Error).message}`);
      }
    },
  });
  let updater: UpdaterLike | null = null;
  if (app.isPackaged) {
    try {
      updater = await (o.loadUpdater ?? loadAutoUpdater)();
    } catch (err) {
      log(`updates disabled: ${(err as Error).message}`);
    }
  }
  const shell = startShell({
    control: desktop.control,
    preloadPath: o.preloadPath,
    rendererDir: o.rendererDir,
    devServerUrl: o.devServerUrl,
    startHidden: o.startHidden,
    updater,
    opener,
    loginItem,
    log,
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // The engine has already stopped (before-quit); close the stores, then really quit.
    event.preventDefault();
    closed = true;
    void desktop.close().catch((err: Error) => log(`engine close failed: ${err.message}`)).finally(() => app.quit());
  });
  return shell;
}
