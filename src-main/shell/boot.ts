/**
 * Desktop start-up after `app.whenReady()`: open the engine, load the updater in packaged
 * builds, start the shell, and release the engine when the app finally quits.
 */
import { app } from 'electron';
import { openDesktopEngine, type DesktopEngine } from './desktop-engine';
import { startShell, type Shell } from './shell-app';
import { loadAutoUpdater, type UpdaterLike } from './updater';

export interface BootOptions {
  preloadPath: string;
  rendererDir: string;
  devServerUrl?: string;
  startHidden: boolean;
  openEngine?: () => Promise<DesktopEngine>;
  loadUpdater?: () => Promise<UpdaterLike | null>;
  log?: (msg: string) => void;
}

export async function bootDesktop(o: BootOptions): Promise<Shell> {
  const log = o.log ?? ((m: string) => process.stderr.write(`switchyard: ${m}\n`));
  const desktop = await (o.openEngine ?? openDesktopEngine)();
  let updater: UpdaterLike | null = null;
  if (app.isPackaged) {
    try {
      updater = await (o.loadUpdater ?? loadAutoUpdater)();
    } catch (err) {
      log(`updates disabled: ${(err as Error).message}`);
    }
  }
  const shell = startShell({
    engine: desktop.engine,
    control: desktop.control,
    preloadPath: o.preloadPath,
    rendererDir: o.rendererDir,
    devServerUrl: o.devServerUrl,
    startProxyAtLaunch: desktop.startProxyAtLaunch,
    startHidden: o.startHidden,
    updater,
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
