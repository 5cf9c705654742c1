/**
 * Opens the engine in-process for the desktop app: the same config file and data directory as
 * `switchyard serve` (~/.switchyard, or $SWITCHYARD_HOME), watched for hot reload.
 */
import type { ShellEngine } from './engine-port';
import type { ShellControl } from './shell-app';
import type { Contract } from '../../src-shared/contract';

export interface DesktopEngine {
  engine: ShellEngine;
  /** The UI contract over IPC; absent until the control facade is wired (see engine-direct.ts). */
  control?: ShellControl<Contract>;
  /** "Start proxy at launch" preference (default on). */
  startProxyAtLaunch: boolean;
  /** Release everything (called on will-quit after the engine has stopped). */
  close(): Promise<void>;
  /** Where the config lives, for messages. */
  configFile: string;
}

export async function openDesktopEngine(): Promise<DesktopEngine> {
  // Loaded lazily: the engine pulls in express, undici and SQLite, none of which the
  // single-instance check or the "second instance" path needs.
  const [{ ConfigStore }, { dataDir, defaultConfigPath }, { Engine }, { shellEngineFromEngine }] = await Promise.all([
    import('../engine/config/store'),
    import('../engine/config/paths'),
    import('../engine/engine'),
    import('./engine-direct'),
  ]);
  const file = defaultConfigPath();
  const store = await ConfigStore.open(file);
  const engine = new Engine({ config: store, dataDir: dataDir() });
  store.watch();
  const providers = () =>
    Object.values(Engine.providers())
      .filter((p) => p !== undefined)
      .map((p) => ({ id: p.id, displayName: p.displayName }));
  return {
    engine: shellEngineFromEngine(engine, providers),
    startProxyAtLaunch: true,
    configFile: file,
    close: () => engine.close(10_000),
  };
}
