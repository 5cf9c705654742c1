import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigStore } from '../../src-main/engine/config/store';
import type { Engine } from '../../src-main/engine/engine';
import { createRuntime, type Runtime } from '../../src-main/engine/runtime';
import { silentLogger } from '../../src-main/engine/log/logger';

export interface RunningEngine {
  engine: Engine;
  runtime: Runtime;
  /** http://127.0.0.1:PORT */
  url: string;
  dataDir: string;
  configFile: string;
  /** Replace the config file's text (the watcher applies it). */
  writeConfig(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real engine on 127.0.0.1:0 with its config in a fresh data directory. The config file is
 * watched, so tests can edit it and observe hot reload.
 */
export async function startEngine(configYaml: string, opts: { watch?: boolean } = {}): Promise<RunningEngine> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-engine-'));
  const configFile = path.join(dataDir, 'config.yaml');
  await writeFile(configFile, configYaml);
  const store = await ConfigStore.open(configFile);
  if (opts.watch) store.watch();
  const runtime = createRuntime({ config: store, dataDir, logger: silentLogger, mode: 'headless', version: 'test' });
  const engine = runtime.engine;
  const addr = await engine.start({ host: '127.0.0.1', port: 0 });
  return {
    engine,
    runtime,
    url: `http://127.0.0.1:${addr.port}`,
    dataDir,
    configFile,
    writeConfig: (text) => writeFile(configFile, text),
    close: async () => {
      await runtime.close(1000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
