/**
 * Electron entry (thin): single-instance lock, the app:// scheme, then the shell and the
 * engine in-process (shell/boot.ts). Closing windows keeps the app in the tray; Quit stops the
 * engine gracefully first (shell/shell-app.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, protocol } from 'electron';
import { registerAppScheme } from './shell/app-protocol';
import { bootDesktop } from './shell/boot';
import { LoginItem } from './shell/login-item';
import type { Shell } from './shell/shell-app';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    // Another Switchyard owns the port and the keychain entries; it shows its window instead.
    app.quit();
    return;
  }
  registerAppScheme(protocol);
  if (process.platform === 'win32') app.setAppUserModelId('dev.switchyard.app');
  let shell: Shell | undefined;
  app.on('second-instance', () => void shell?.windows.openMain());
  await app.whenReady();
  if (process.platform === 'darwin') app.dock?.hide();
  try {
    shell = await bootDesktop({
      // dist/main/main.js -> dist/preload/preload.cjs, dist/renderer/index.html
      preloadPath: path.join(here, '../preload/preload.cjs'),
      rendererDir: path.join(here, '../renderer'),
      devServerUrl: app.isPackaged ? undefined : process.env.VITE_DEV_SERVER_URL,
      startHidden: LoginItem.startedHidden(),
    });
  } catch (err) {
    dialog.showErrorBox('Switchyard could not start', (err as Error).message);
    app.exit(1);
  }
}

void main();
