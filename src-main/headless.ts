import type { ConfigStore } from './engine/config/store';
import { createRuntime } from './engine/runtime';

/**
 * `switchyard serve`: run the engine until SIGINT/SIGTERM, then stop gracefully (in-flight
 * requests get up to 10 s) and exit 0. Resolves to -1 while serving (the process stays up);
 * the exit code is set by the signal handler.
 */
export async function startHeadless(
  store: ConfigStore,
  opts: { host?: string; port?: number; dataDir: string; version: string; onListening?: (url: string, accounts: number) => void | Promise<void> },
): Promise<number> {
  const runtime = createRuntime({ config: store, dataDir: opts.dataDir, mode: 'headless', version: opts.version });
  const engine = runtime.engine;
  // Signals are handled from before the port opens: it opens while the engine still loads what
  // requests need, and a SIGTERM then stops it gracefully (exit 0) like one that comes later.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    engine.logger.info('shutting down', { signal });
    const hard = setTimeout(() => process.exit(0), 12_000);
    hard.unref();
    void runtime.close(10_000).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  let addr: { host: string; port: number };
  try {
    addr = await engine.start({ host: opts.host, port: opts.port });
  } catch (err) {
    if (stopping) return -1; // the signal's shutdown exits
    const e = err as NodeJS.ErrnoException;
    const port = opts.port ?? store.current.port;
    const msg = e.code === 'EADDRINUSE' ? `port ${port} is already in use (set another with --port or "port:" in ${store.file})` : e.message;
    process.stderr.write(`switchyard: cannot start: ${msg}\n`);
    stopping = true; // closing already: a signal now changes nothing
    await runtime.close(0);
    return e.code === 'EADDRINUSE' ? 1 : 2;
  }
  if (stopping) return -1;
  store.watch();
  store.on('invalid', (err) => process.stderr.write(`switchyard: config edit rejected, still serving the last good config:\n${err.message}\n`));
  const shown = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
  process.stdout.write(`Switchyard listening on http://${shown}:${addr.port}\n`);

  // The start-up lines after the ready line (config file, panel); signals are handled by now.
  await opts.onListening?.(`http://${shown}:${addr.port}`, engine.accounts().length);
  return -1;
}
