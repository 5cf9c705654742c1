import { existsSync } from 'node:fs';
import http from 'node:http';
import { ConfigError } from '../engine/config/load';
import { dataDir, defaultConfigPath } from '../engine/config/paths';
import { ConfigStore } from '../engine/config/store';
import { ArgumentError, parseCommandArgs } from './args';
import type { CliIo } from './commands';
import { SWITCHYARD_VERSION } from './version';

/** `switchyard serve`: resolves to -1 while serving (the signal handler sets the exit code). */
export async function runServe(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } }, false);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new ArgumentError(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
  }
  const file = values.config ?? defaultConfigPath();
  const created = !existsSync(file);
  let store: ConfigStore;
  try {
    store = await ConfigStore.open(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`switchyard: invalid config\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
  for (const w of store.warnings) io.stderr.write(`switchyard: warning: ${w}\n`);
  // Loaded on demand so that the quick subcommands do not pay for the whole engine.
  const { startHeadless } = await import('../headless');
  return startHeadless(store, {
    host: values.host,
    port,
    dataDir: dataDir(),
    version: SWITCHYARD_VERSION,
    onListening: async (url, accounts) => {
      for (const line of await startupLines(url, store, created, accounts)) io.stdout.write(`${line}\n`);
      // Start-up is over: the launcher (scripts/cli-launcher.mjs) writes its code cache and lets the
      // young generation grow from here on.
      process.emit('switchyard:listening');
    },
  });
}

/**
 * What a first-time user needs after the ready line: which file configures this server, where
 * each wire format lives, and whether the panel at /ui/ is on (and how to turn it on). Whether the
 * panel is served is asked of the server itself, so the line cannot disagree with it.
 */
export async function startupLines(url: string, store: ConfigStore, created: boolean, accounts: number): Promise<string[]> {
  const probe = url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
  const served = await answers2xx(`${probe}/ui/`, 2_000);
  const keySet = Boolean(store.current['remote-management']['secret-key']);
  const panel = !served
    ? 'not built in this install (npm run build builds it)'
    : keySet
      ? `${url}/ui/ (asks for remote-management.secret-key)`
      : `off; to enable ${url}/ui/ set remote-management.secret-key in the config file`;
  return [
    `  config:  ${store.file}${created ? ' (created with the defaults)' : ''}`,
    `  API:     ${url}/v1 (OpenAI), ${url} (Claude, Gemini)`,
    `  panel:   ${panel}`,
    accounts > 0
      ? `  accounts: ${accounts} ready`
      : '  next:    no accounts yet; sign in with `switchyard login <provider>` (npm run switchyard -- login claude), import with `switchyard import <dir>`, or add API keys to the config file',
  ];
}

/**
 * Whether a GET of `url` answers 2xx within `timeoutMs`. node:http, not fetch: the global fetch
 * loads Node's own copy of undici (~1 MB of heap and its compile) into a server that otherwise
 * never uses it. One connection, closed after the answer.
 */
function answers2xx(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
      res.on('end', () => resolve(ok)).on('error', () => resolve(false)).resume();
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
