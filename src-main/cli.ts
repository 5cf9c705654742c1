#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile } from './engine/config/load';
import { dataDir, defaultConfigPath } from './engine/config/paths';
import { ConfigStore } from './engine/config/store';

const USAGE = `Usage: switchyard <command> [options]

Commands:
  serve [--config FILE] [--port N] [--host ADDR]   run the proxy headless
  login <provider> [--no-browser]                  sign in to a provider account
  accounts [--json]                                list signed-in accounts (never secrets)
  import <dir>                                     import CLIProxyAPI auth files
  config check [FILE]                              validate a config file

Data directory: $SWITCHYARD_HOME or ~/.switchyard`;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    allowPositionals: false,
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`switchyard: --port must be a whole number from 0 to 65535, got "${values.port}"\n`);
      return 2;
    }
  }
  const file = values.config ?? defaultConfigPath();
  let store: ConfigStore;
  try {
    store = await ConfigStore.open(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`switchyard: invalid config\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
  for (const w of store.warnings) process.stderr.write(`switchyard: warning: ${w}\n`);
  // Loaded on demand so that the quick subcommands do not pay for the whole engine.
  const { startHeadless } = await import('./headless');
  return startHeadless(store, { host: values.host, port, dataDir: dataDir() });
}

async function configCheck(argv: string[]): Promise<number> {
  const file = argv[0] ?? defaultConfigPath();
  try {
    const loaded = await loadConfigFile(file);
    for (const w of loaded.warnings) process.stdout.write(`warning: ${w}\n`);
    process.stdout.write(`${file}: OK\n`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** Subcommands that live in src-main/cli/ (accounts and sign-in). */
async function delegate(name: 'login' | 'accounts' | 'import', argv: string[]): Promise<number> {
  const mod = (await import(`./cli/${name}`)) as Record<string, (argv: string[], io?: CliIo) => Promise<number>>;
  const fn = mod[`run${name[0].toUpperCase()}${name.slice(1)}`];
  return fn(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve':
      return serve(rest);
    case 'config':
      if (rest[0] === 'check') return configCheck(rest.slice(1));
      break;
    case 'login':
    case 'accounts':
    case 'import':
      return delegate(cmd, rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return cmd === undefined ? 2 : 0;
  }
  process.stderr.write(`switchyard: unknown command "${argv.join(' ')}"\n\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`switchyard: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
