/**
 * The tray icon: image per engine state (with the quota gauge of the tightest window while
 * running; balances never count), tooltip, macOS title and the context menu, rebuilt from engine events through a throttle. Clicking the icon opens the
 * small meters window (`onClick`).
 */
import { Menu, Tray } from 'electron';
import type { DesktopView } from '../engine/control/control';
import { TrayIcons } from './icons/tray-icons';
import { throttle, realTimers, type Timers, type Throttled } from './throttle';
import { buildTrayTemplate, type TrayActions } from './tray-menu';
import type { ShellStrings } from './i18n';
import { iconState, tightestWindow, tooltip, trayTitle, type TraySnapshot, type UpdateStatus } from './tray-model';

export interface TrayControllerOptions {
  engine: DesktopView;
  actions: TrayActions;
  launchAtLogin: () => boolean;
  updateStatus: () => UpdateStatus;
  onClick: (bounds: Electron.Rectangle) => void;
  now?: () => number;
  timers?: Timers;
  /** Menu rebuild throttle; engine events in one window collapse into one rebuild. */
  throttleMs?: number;
  /** Countdowns in the menu go stale; rebuild this often even without events. */
  tickMs?: number;
  icons?: TrayIcons;
  platform?: NodeJS.Platform;
  /** Strings in the app's language, read at every rebuild (the setting can change). */
  strings?: () => ShellStrings;
}

export class TrayController {
  readonly tray: Tray;
  private readonly icons: TrayIcons;
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly scheduled: Throttled;
  private unsubscribe: () => void;
  private tick: unknown;
  private lastIconKey = '';
  private menu?: Menu;
  private readonly platform: NodeJS.Platform;

  constructor(private readonly o: TrayControllerOptions) {
    this.platform = o.platform ?? process.platform;
    this.icons = o.icons ?? new TrayIcons(this.platform);
    this.now = o.now ?? Date.now;
    this.timers = o.timers ?? realTimers;
    this.tray = new Tray(this.icons.image({ state: iconState(o.engine.state) }));
    this.tray.on('click', (_e, bounds) => o.onClick(bounds));
    // macOS: a click opens the meters window and the menu comes on right-click (a context menu
    // set with setContextMenu would swallow the click). Windows/Linux: the OS shows the context
    // menu on right-click (Linux AppIndicator trays only know the menu).
    if (this.platform === 'darwin') this.tray.on('right-click', () => this.menu && this.tray.popUpContextMenu(this.menu));
    this.scheduled = throttle(() => this.render(), o.throttleMs ?? 500, this.timers);
    this.unsubscribe = o.engine.onEvent(() => this.scheduled());
    this.render();
    this.startTick();
  }

  snapshot(): TraySnapshot {
    const e = this.o.engine;
    return {
      state: e.state,
      port: e.port,
      baseUrl: e.baseUrl,
      lastError: e.lastError,
      accounts: e.accounts(),
      quota: e.quota(),
      providers: e.providers(),
      launchAtLogin: this.o.launchAtLogin(),
      update: this.o.updateStatus(),
      now: this.now(),
      t: this.o.strings?.(),
    };
  }

  /** The menu as last built (what right-click shows). */
  get currentMenu(): Menu | undefined {
    return this.menu;
  }

  /** Ask for a rebuild (throttled). */
  refresh(): void {
    this.scheduled();
  }

  /** Rebuild now: icon, tooltip and menu. */
  render(): void {
    if (this.tray.isDestroyed()) return;
    const snap = this.snapshot();
    const tight = snap.state === 'running' ? tightestWindow(snap.accounts, snap.quota) : undefined;
    const req = { state: iconState(snap.state), gauge: tight?.remaining };
    const key = this.icons.key(req);
    if (key !== this.lastIconKey) {
      this.tray.setImage(this.icons.image(req));
      this.lastIconKey = key;
    }
    this.tray.setToolTip(tooltip(snap));
    // macOS shows a title next to the menu-bar icon; elsewhere the tooltip carries it.
    if (this.platform === 'darwin') this.tray.setTitle(trayTitle(snap));
    this.menu = Menu.buildFromTemplate(buildTrayTemplate(snap, this.o.actions));
    if (this.platform !== 'darwin') this.tray.setContextMenu(this.menu);
  }

  private startTick(): void {
    const ms = this.o.tickMs ?? 60_000;
    const loop = () => {
      this.render();
      this.tick = this.timers.setTimeout(loop, ms);
    };
    this.tick = this.timers.setTimeout(loop, ms);
  }

  destroy(): void {
    this.unsubscribe();
    this.scheduled.cancel();
    if (this.tick !== undefined) this.timers.clearTimeout(this.tick);
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
