import { spawn } from 'node:child_process';
import readline from 'node:readline';
import type { SwitchyardConfig } from '../../src-shared/config/schema';
import { openAccounts } from '../engine/accounts';
import type { AccountRegistry } from '../engine/accounts/registry';
import type { SecretStore } from '../engine/accounts/secret-store';
import type { TokenCache } from '../engine/accounts/token-cache';
import { ConfigError, loadConfigFile } from '../engine/config/load';
import { dataDir as defaultDataDir, defaultConfigPath } from '../engine/config/paths';
import type { HostOverrides } from '../engine/upstream/host-overrides';
import { openSharedSecretStore } from '../engine/team/cli-store';

/**
 * What the account subcommands receive from cli.ts. Everything but the streams is optional:
 * missing pieces are filled from `--config`, `$SWITCHYARD_HOME` and the defaults.
 */
export interface AccountCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  config?: SwitchyardConfig;
  dataDir?: string;
  hostOverrides?: HostOverrides;
  openUrl?: (url: string) => void | Promise<void>;
  /** Tests and forks may hand in a store (e.g. a keychain with a private service name). */
  secretStore?: SecretStore;
}

export interface AccountCli {
  config: SwitchyardConfig;
  dataDir: string;
  hostOverrides: HostOverrides;
  registry: AccountRegistry;
  tokens: TokenCache;
  /** Where the accounts live (`storeOf(store, id)` says it per account). */
  store: SecretStore;
  out(line: string): void;
  err(line: string): void;
}

export class UsageError extends Error {}

/** Load config + accounts for one subcommand. `configFile` comes from a `--config` flag. */
export async function openCli(io: AccountCliIo, configFile?: string): Promise<AccountCli> {
  let config = io.config;
  if (!config) {
    try {
      config = (await loadConfigFile(configFile ?? defaultConfigPath(), { create: !configFile })).config;
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(`invalid config\n${err.message}`);
      throw err;
    }
  }
  const dataDir = io.dataDir ?? defaultDataDir();
  const hostOverrides = io.hostOverrides ?? config['host-overrides'];
  // Same default as the desktop app, so both see the same accounts (the team's database when store.driver is postgres).
  const shared = io.secretStore ? undefined : openSharedSecretStore(config);
  const { registry, tokens, store } = await openAccounts({ config, dataDir, hostOverrides: () => hostOverrides, store: io.secretStore ?? shared, meta: shared?.meta, defaultStore: 'shared' });
  return {
    config,
    dataDir,
    hostOverrides,
    registry,
    tokens,
    store,
    out: (l) => void io.stdout.write(`${l}\n`),
    err: (l) => void io.stderr.write(`${l}\n`),
  };
}

/** Lines typed on stdin (the pasted redirect URL); `close()` releases stdin so the process can exit. */
export function stdinLines(stdin: NodeJS.ReadableStream): { lines: AsyncIterable<string>; close(): void } {
  const rl = readline.createInterface({ input: stdin, terminal: false });
  return { lines: rl, close: () => rl.close() };
}

/** Open a URL in the system browser (best effort; the URL is always printed as well). */
export function systemOpenUrl(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the printed URL is the fallback.
  }
}
