/**
 * The application menu. macOS needs one for the standard Edit shortcuts (copy, paste, undo)
 * to work in our windows, and for Cmd+Q / Cmd+W; Windows and Linux get none (the windows
 * hide their menu bar and everything lives in the tray).
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }];
}

export function installAppMenu(platform: NodeJS.Platform = process.platform): void {
  const t = appMenuTemplate(platform);
  Menu.setApplicationMenu(t ? Menu.buildFromTemplate(t) : null);
}
