/**
 * Launch at login. macOS and Windows: `app.setLoginItemSettings`. Linux has no such API in
 * Electron, so we write an XDG autostart entry (~/.config/autostart/switchyard.desktop) the
 * way desktop environments expect. The app starts hidden (tray only) in both cases.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app } from 'electron';

export const HIDDEN_ARG = '--hidden';

export interface LoginItemOptions {
  platform?: NodeJS.Platform;
  /** XDG config home (tests point it at a temp dir). */
  configHome?: string;
  /** Command that starts this app; the AppImage path when running from one. */
  exec?: string;
}

export class LoginItem {
  private readonly platform: NodeJS.Platform;
  private readonly file: string;
  private readonly exec: string;
  constructor(o: LoginItemOptions = {}) {
    this.platform = o.platform ?? process.platform;
    const configHome = o.configHome ?? process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config');
    this.file = path.join(configHome, 'autostart', 'switchyard.desktop');
    this.exec = o.exec ?? process.env.APPIMAGE ?? process.execPath;
  }

  get desktopFile(): string {
    return this.file;
  }

  get enabled(): boolean {
    if (this.platform === 'linux') return existsSync(this.file) && !/^Hidden=true$/m.test(readFileSync(this.file, 'utf8'));
    // Windows matches the Run entry against path and args: ask with the args we registered.
    return app.getLoginItemSettings(this.platform === 'win32' ? { args: [HIDDEN_ARG] } : undefined).openAtLogin;
  }

  set(on: boolean): void {
    if (this.platform === 'linux') {
      if (!on) {
        rmSync(this.file, { force: true });
        return;
      }
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(this.file, desktopEntry(this.exec));
      return;
    }
    app.setLoginItemSettings({ openAtLogin: on, openAsHidden: on, args: on ? [HIDDEN_ARG] : [] });
  }

  /** Was this process started by the login item (so no window should open)? */
  static startedHidden(argv: string[] = process.argv): boolean {
    if (argv.includes(HIDDEN_ARG)) return true;
    return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  }
}

function quoteExec(p: string): string {
  // Desktop Entry spec: quote arguments with reserved characters; escape " ` $ \ inside quotes.
  return /[\s"'\\`$]/.test(p) ? `"${p.replace(/(["`$\\])/g, '\\$1')}"` : p;
}

export function desktopEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchyard',
    'Comment=Local AI proxy over your subscriptions',
    `Exec=${quoteExec(exec)} ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}
