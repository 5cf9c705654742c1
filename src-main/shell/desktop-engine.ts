/**
 * Opens the engine in-process for the desktop app: the same config file and data directory as
 * `switchyard serve` (~/.switchyard, or $SWITCHYARD_HOME), watched for hot reload; the control
 * facade and the UI contract on top (served over IPC by the shell, and over HTTP at
 * /v0/management/ui/* like the headless runtime). Accounts live where `switchyard login` puts them
 * (the engine's `shared` default: auth files, plus accounts older versions kept in the keychain),
 * so the app and the CLI see the same accounts unless `secret-store` says otherwise.
 */
import type { Contract } from '../../src-shared/contract';
import type { ShellEngine } from './engine-port';
import type { ShellControl } from './shell-app';

export interface DesktopEngine {
  engine: ShellEngine;
  /** The UI contract over IPC. */
  control?: ShellControl<Contract>;
  /** "Start proxy at launch" preference (default on). */
  startProxyAtLaunch: boolean;
  /** Mirror the tray's "Launch at login" into the preferences the UI shows. */
  setLaunchAtLoginPref?(on: boolean): Promise<void>;
  /** Release everything (called on will-quit after the engine has stopped). */
  close(): Promise<void>;
  /** Where the config lives, for messages. */
  configFile: string;
}

export interface DesktopEngineOptions {
  version: string;
  /** Validated system-browser opener; sign-in flows open their URLs through it. */
  openUrl: (url: string) => Promise<unknown>;
  /** Desktop preferences changed in the UI (login item). */
  onPrefsChanged?: (prefs: { launchAtLogin: boolean | null; startProxyAtLaunch: boolean | null }) => void;
}

export async function openDesktopEngine(o: DesktopEngineOptions): Promise<DesktopEngine> {
  // Loaded lazily: the engine pulls in express, undici and SQLite, none of which the
  // single-instance check or the "second instance" path needs.
  const [{ ConfigStore }, { dataDir, defaultConfigPath }, { createRuntime }, { shellEngineFromFacade }] = await Promise.all([
    import('../engine/config/store'),
    import('../engine/config/paths'),
    import('../engine/runtime'),
    import('./engine-adapter'),
  ]);
  const file = defaultConfigPath();
  const store = await ConfigStore.open(file);
  const { facade, control, close } = createRuntime({
    config: store,
    dataDir: dataDir(),
    mode: 'desktop',
    version: o.version,
    openUrl: async (url) => void (await o.openUrl(url)),
    onPrefsChanged: (p) => o.onPrefsChanged?.(p),
  });
  store.watch();
  return {
    engine: shellEngineFromFacade(facade, { opensSignInUrls: true }),
    control: {
      contract: (await import('../../src-shared/contract')).contract,
      handlers: control.handlers,
      events: control.events as ShellControl<Contract>['events'],
    },
    startProxyAtLaunch: facade.prefs.get().startProxyAtLaunch ?? true,
    setLaunchAtLoginPref: (on) => facade.prefs.set({ launchAtLogin: on }),
    configFile: file,
    close: () => close(10_000),
  };
}
