/**
 * The two windows: the main UI (hidden, not destroyed, when closed, so the app lives on in the
 * tray) and the small meters window that opens from a tray click and hides when it loses focus.
 */
import { app, BrowserWindow, screen, type BrowserWindowConstructorOptions, type Rectangle } from 'electron';
import { secureWebPreferences } from './security';
import { APP_ORIGIN } from './urls';

export interface WindowOptions {
  preload: string;
  /** Dev-server URL when not packaged; otherwise the app protocol is used. */
  devServerUrl?: string;
  packaged: boolean;
  /** True once the user chose Quit: closing then really closes. */
  isQuitting: () => boolean;
  platform?: NodeJS.Platform;
  log?: (msg: string) => void;
}

export const TRAY_WINDOW_SIZE = { width: 340, height: 420 };

export function mainWindowOptions(o: Pick<WindowOptions, 'preload' | 'packaged'>): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'Switchyard',
    backgroundColor: '#111827',
    autoHideMenuBar: true,
    webPreferences: { ...secureWebPreferences(o.preload), devTools: !o.packaged },
  };
}

export function trayWindowOptions(o: Pick<WindowOptions, 'preload' | 'packaged'>): BrowserWindowConstructorOptions {
  return {
    ...TRAY_WINDOW_SIZE,
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    transparent: false,
    backgroundColor: '#111827',
    webPreferences: { ...secureWebPreferences(o.preload), devTools: !o.packaged },
  };
}

/** Where the UI lives: the dev server in development, the app protocol when packaged. */
export function uiUrl(o: Pick<WindowOptions, 'devServerUrl' | 'packaged'>, route: '' | 'tray'): string {
  const base = !o.packaged && o.devServerUrl ? o.devServerUrl.replace(/\/$/, '') : APP_ORIGIN;
  return `${base}/index.html${route ? `#/${route}` : ''}`;
}

/** Put the tray window next to the tray icon, inside the work area of that display. */
export function trayWindowPosition(tray: Rectangle, size: { width: number; height: number }, work: Rectangle): { x: number; y: number } {
  let x = Math.round(tray.x + tray.width / 2 - size.width / 2);
  // Taskbar at the bottom (Windows, most Linux): open above the icon; menu bar on top: below it.
  let y = tray.y > work.y + work.height / 2 ? tray.y - size.height - 4 : tray.y + tray.height + 4;
  x = Math.min(Math.max(x, work.x), work.x + work.width - size.width);
  y = Math.min(Math.max(y, work.y), work.y + work.height - size.height);
  return { x, y };
}

export class WindowManager {
  private main?: BrowserWindow;
  private trayWin?: BrowserWindow;
  constructor(private readonly o: WindowOptions) {}

  get mainWindow(): BrowserWindow | undefined {
    return this.main && !this.main.isDestroyed() ? this.main : undefined;
  }
  get trayWindow(): BrowserWindow | undefined {
    return this.trayWin && !this.trayWin.isDestroyed() ? this.trayWin : undefined;
  }

  /** Every live window of ours (IPC sender check and event broadcast use this). */
  all(): BrowserWindow[] {
    return [this.mainWindow, this.trayWindow].filter((w): w is BrowserWindow => w !== undefined);
  }

  openMain(): BrowserWindow {
    let win = this.mainWindow;
    if (!win) {
      win = new BrowserWindow(mainWindowOptions(this.o));
      win.on('close', (event) => {
        if (!this.o.isQuitting()) {
          event.preventDefault();
          win!.hide();
        }
      });
      win.once('ready-to-show', () => win!.show());
      this.load(win, uiUrl(this.o, ''));
      this.main = win;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    // A menu-bar app (LSUIElement) is never the active app on its own: bring it forward.
    if ((this.o.platform ?? process.platform) === 'darwin') app.focus({ steal: true });
    win.focus();
    return win;
  }

  /**
   * `loadURL` rejects when the page fails (dev server down, navigation aborted by a close):
   * say so in the log instead of leaving an unhandled rejection behind.
   */
  private load(win: BrowserWindow, url: string): void {
    win.loadURL(url).catch((err: Error) => {
      if (!win.isDestroyed()) this.o.log?.(`could not load ${url}: ${err.message}`);
    });
  }

  toggleTrayWindow(trayBounds: Rectangle): void {
    let win = this.trayWindow;
    if (win?.isVisible()) {
      win.hide();
      return;
    }
    if (!win) {
      win = new BrowserWindow(trayWindowOptions(this.o));
      win.on('blur', () => win!.hide());
      win.on('close', (event) => {
        if (!this.o.isQuitting()) {
          event.preventDefault();
          win!.hide();
        }
      });
      this.load(win, uiUrl(this.o, 'tray'));
      this.trayWin = win;
    }
    const work = screen.getDisplayNearestPoint({ x: trayBounds.x, y: trayBounds.y }).workArea;
    const { x, y } = trayWindowPosition(trayBounds, TRAY_WINDOW_SIZE, work);
    win.setPosition(x, y);
    win.show();
    win.focus();
  }

  destroyAll(): void {
    for (const w of this.all()) w.destroy();
  }
}
