import type { Control } from '../engine/control/control';

/** The engine in-process: its Control surface, and how to release it. */
export interface DesktopRuntime {
  control: Control;
  /** Release everything (called on will-quit after the engine has stopped). */
  close(): Promise<void>;
}

export interface DesktopRuntimeOptions {
  version: string;
  /** Validated system-browser opener; sign-in flows open their URLs through it. */
  openUrl: (url: string) => Promise<unknown>;
  /** Desktop preferences changed in the UI (login item). */
  onPrefsChanged?: (prefs: { launchAtLogin: boolean | null; startProxyAtLaunch: boolean | null }) => void;
}

/**
 * Opens the engine in-process: the same config file and data directory as `switchyard serve`
 * (~/.switchyard, or $SWITCHYARD_HOME), watched for hot reload, and accounts where
 * `switchyard login` puts them, so the app and the CLI see the same accounts.
 */
export async function openDesktopRuntime(o: DesktopRuntimeOptions): Promise<DesktopRuntime> {
  // Loaded lazily: the engine pulls in express, undici and SQLite, none of which the
  // single-instance check or the "second instance" path needs.
  const [{ ConfigStore }, { dataDir, defaultConfigPath }, { createRuntime }] = await Promise.all([
    import('../engine/config/store'),
    import('../engine/config/paths'),
    import('../engine/runtime'),
  ]);
  const store = await ConfigStore.open(defaultConfigPath());
  const { control, close } = createRuntime({
    config: store,
    dataDir: dataDir(),
    mode: 'desktop',
    version: o.version,
    openUrl: async (url) => void (await o.openUrl(url)),
    onPrefsChanged: (p) => o.onPrefsChanged?.(p),
  });
  store.watch();
  return { control, close: () => close(10_000) };
}
