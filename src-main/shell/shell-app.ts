/**
 * Composition of the desktop shell, after `app.whenReady()`: security baseline, app protocol,
 * windows, IPC, tray, notifications, updater and login item around the engine's one Control
 * surface. main.ts stays thin; tests call `startShell` with the fake Electron and a fake Control.
 */
import { app, clipboard, dialog, protocol, session } from 'electron';
import type { Control } from '../engine/control/control';
import { serveAppScheme } from './app-protocol';
import { installAppMenu } from './app-menu';
import { resolveLang, shellStrings } from './i18n';
import { EventBroadcaster, registerHandlers } from './ipc';
import { LoginItem } from './login-item';
import { electronNotify, Notifier, type Notify } from './notifications';
import { createOpener, type Opener } from './opener';
import { installSecurityBaseline } from './security';
import { TrayController } from './tray';
import type { TrayActions } from './tray-menu';
import { UpdateController, type UpdaterLike } from './updater';
import { WindowManager } from './windows';

export interface ShellOptions {
  /** The engine as every front end sees it: the UI contract (served over IPC) and the desktop view. */
  control: Control;
  preloadPath: string;
  rendererDir: string;
  devServerUrl?: string;
  /** "Start proxy at launch" (default: the preference the control reports, else on). */
  startProxyAtLaunch?: boolean;
  /** Launched by the login item: stay in the tray. */
  startHidden?: boolean;
  /** null = no updates (dev runs, tests without one). */
  updater?: UpdaterLike | null;
  loginItem?: LoginItem;
  notify?: Notify;
  opener?: Opener;
  log?: (msg: string) => void;
  now?: () => number;
  trayThrottleMs?: number;
  platform?: NodeJS.Platform;
}

export interface Shell {
  tray: TrayController;
  windows: WindowManager;
  notifier: Notifier;
  updates: UpdateController | undefined;
  actions: TrayActions;
  /** Stop the engine gracefully, then let the app quit. */
  quit(): Promise<void>;
  readonly quitting: boolean;
}

export function startShell(o: ShellOptions): Shell {
  const log = o.log ?? (() => {});
  const engine = o.control.desktop;
  const packaged = app.isPackaged;
  const opener = o.opener ?? createOpener(undefined, log);
  let quitting = false;
  let stopped = false;

  installSecurityBaseline(app, session.defaultSession, { packaged, devServerUrl: o.devServerUrl, openExternal: (u) => void opener(u) });
  serveAppScheme(protocol, o.rendererDir);
  installAppMenu(o.platform);
  const windows = new WindowManager({ preload: o.preloadPath, devServerUrl: o.devServerUrl, packaged, isQuitting: () => quitting, log });
  const contents = () => windows.all().map((w) => w.webContents);

  const c = o.control;
  registerHandlers(c.contract, c.handlers, { ownContents: contents, packaged, devServerUrl: o.devServerUrl, log });
  const broadcaster = new EventBroadcaster(c.contract, contents, log);
  c.events.subscribe((e) => broadcaster.emit(e.event, e.payload));

  const loginItem = o.loginItem ?? new LoginItem();
  // The tray, notifications and dialogs follow the language chosen in the app ("system" = OS).
  const strings = () => shellStrings(resolveLang(safe(() => engine.language?.(), undefined), app.getLocale()));
  const notifier = new Notifier({
    notify: o.notify,
    now: o.now,
    strings,
    providerName: (id) => engine.providers().find((p) => p.id === id)?.displayName ?? id,
  });

  let tray: TrayController | undefined;
  const updates = o.updater
    ? new UpdateController(
        o.updater,
        {
          info: async (title, message) => void (await dialog.showMessageBox({ type: 'info', title, message, buttons: [strings().ok] })),
          confirm: async (title, message, ok) => (await dialog.showMessageBox({ type: 'question', title, message, buttons: [ok, strings().later], defaultId: 0, cancelId: 1 })).response === 0,
          updateReady: (v) => notifier.updateReady(v),
          changed: () => tray?.refresh(),
        },
        { enabled: packaged, log, beforeInstall: () => prepareQuit(), strings },
      )
    : undefined;

  const stopEngine = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await engine.stop();
    } catch (err) {
      log(`engine stop failed: ${(err as Error).message}`);
    }
  };

  /**
   * Everything before the app may quit: from here on closing a window really closes it (the
   * quit asks every window to close, and one that hides itself instead cancels the quit).
   * "Restart to update" goes through here too before electron-updater quits the app; the tray
   * stays until the process ends, so an install that cannot quit leaves Start and Quit usable.
   */
  const prepareQuit = async () => {
    quitting = true;
    updates?.stop();
    await stopEngine();
  };

  let quitStarted = false;
  const quit = async () => {
    if (quitStarted) return;
    quitStarted = true;
    await prepareQuit();
    tray?.destroy();
    app.quit();
  };

  const actions: TrayActions = {
    start: () => {
      // After an update install that did not quit, the app is back in normal service.
      stopped = false;
      quitting = quitStarted;
      void engine.start();
    },
    stop: () => void engine.stop(),
    copyBaseUrl: () => {
      if (engine.baseUrl) clipboard.writeText(engine.baseUrl);
    },
    signIn: (provider) => void signIn(provider),
    refreshQuotas: () => void engine.refreshQuotas().catch((e: Error) => log(`quota refresh failed: ${e.message}`)),
    openApp: () => void windows.openMain(),
    setLaunchAtLogin: (on) => {
      try {
        loginItem.set(on);
        // Mirror the tray's toggle into the preferences the UI shows.
        void engine.setLaunchAtLoginPref?.(on).catch((err: Error) => log(`preferences: ${err.message}`));
      } catch (err) {
        log(`launch at login: ${(err as Error).message}`);
      }
      tray?.refresh();
    },
    checkForUpdates: () => {
      const t = strings();
      void (updates ? updates.checkNow() : dialog.showMessageBox({ type: 'info', title: t.updates, message: t.updatesUnavailable, buttons: [t.ok] }));
    },
    installUpdate: () => void updates?.install(),
    quit: () => void quit(),
  };

  const notify = o.notify ?? electronNotify;
  async function signIn(provider: string): Promise<void> {
    const t = strings();
    try {
      const { authorizeUrl, userCode, opened } = await engine.beginSignIn(provider);
      if (userCode) {
        clipboard.writeText(userCode);
        notify(t.signInCodeCopied, t.signInCodeBody(userCode));
      }
      if (!opened && !(await opener(authorizeUrl))) notify(t.signInFailed, t.unsafeSignInUrl);
    } catch (err) {
      notify(t.signInFailed, (err as Error).message);
    }
  }

  engine.onEvent((ev) => {
    notifier.event(ev);
    if (ev.type === 'accounts') notifier.accounts(engine.accounts());
  });
  notifier.accounts(engine.accounts());

  tray = new TrayController({
    engine,
    actions,
    launchAtLogin: () => safe(() => loginItem.enabled, false),
    updateStatus: () => updates?.state ?? { kind: 'idle' },
    onClick: (bounds) => windows.toggleTrayWindow(bounds),
    now: o.now,
    throttleMs: o.trayThrottleMs,
    platform: o.platform,
    strings,
  });

  // Closing every window keeps the app in the tray (a listener replaces Electron's default quit).
  app.on('window-all-closed', () => {});
  // Quit from elsewhere (Cmd+Q, OS logout, the updater): stop the engine first, then quit again.
  app.on('before-quit', (event) => {
    if (stopped) {
      quitting = true;
      return;
    }
    event.preventDefault();
    void quit();
  });
  app.on('activate', () => void windows.openMain());

  if (o.startProxyAtLaunch ?? safe(() => engine.startProxyAtLaunch?.(), undefined) ?? true) void engine.start();
  if (!o.startHidden) windows.openMain();
  updates?.startSchedule();

  return {
    tray,
    windows,
    notifier,
    updates,
    actions,
    quit,
    get quitting() {
      return quitting;
    },
  };
}

function safe<T, F>(fn: () => T, fallback: F): T | F {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
