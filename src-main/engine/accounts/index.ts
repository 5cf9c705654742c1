import path from 'node:path';
import os from 'node:os';
import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import type { HostOverrides } from '../upstream/host-overrides';
import { authFor } from './auths';
import { FileSecretStore } from './file-secret-store';
import { openKeychainStore } from './keychain-secret-store';
import { SharedSecretStore } from './shared-secret-store';
import { AccountRegistry } from './registry';
import type { SecretStore } from './secret-store';
import { TokenCache } from './token-cache';
import type { Clock } from './types';
import { removeStaleTempFiles, tightenSecretFiles } from '../config/temp-files';

export { AccountRegistry } from './registry';
export { TokenCache } from './token-cache';
export { FileSecretStore } from './file-secret-store';
export { SharedSecretStore } from './shared-secret-store';
export { KeychainSecretStore, openKeychainStore, KEYCHAIN_SERVICE } from './keychain-secret-store';
export type { SecretStore } from './secret-store';
export { signIn, type SignInOptions } from './sign-in';
export type { SignInPrompt } from './oauth-runner';
export { importAuthDir, type ImportReport } from './import';
export { watchAccounts } from './watch';
export { providerAuths, authFor, isOAuthProvider, OAUTH_PROVIDERS } from './auths';
export { MalformedAuthFileError } from './auth-file';
export * from './types';

/** `auth-dir` from the config (`~` expanded, relative to the data dir), default `<dataDir>/auth`. */
export function authDirOf(config: Pick<SwitchyardConfig, 'auth-dir'>, dataDir: string): string {
  const p = config['auth-dir'];
  if (!p) return path.join(dataDir, 'auth');
  const expanded = p === '~' ? os.homedir() : p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
  return path.resolve(dataDir, expanded);
}

/**
 * The configured secret store: `secret-store: keychain | file`. When unset, the caller's default,
 * which is `shared` for both the CLI and the desktop app: auth files (where new sign-ins go) plus
 * accounts an earlier desktop version kept in the OS keychain, so both see the same accounts.
 */
export async function createSecretStore(
  config: Pick<SwitchyardConfig, 'auth-dir' | 'secret-store'>,
  dataDir: string,
  fallback: 'keychain' | 'file' | 'shared' = 'shared',
): Promise<SecretStore> {
  const kind = config['secret-store'] ?? fallback;
  if (kind === 'keychain') return openKeychainStore();
  if (kind === 'shared') return new SharedSecretStore(authDirOf(config, dataDir), () => openKeychainStore(), keyringFromEnv());
  return new FileSecretStore(authDirOf(config, dataDir), keyringFromEnv());
}

/** Where one account's secret lives (`accounts --json`, the UI). */
export function storeOf(store: SecretStore, id: string): 'file' | 'keychain' {
  return store instanceof SharedSecretStore ? store.locationOf(id) : store.kind;
}

import { keyringFromEnv } from '../team/crypto/master-key';
import type { TokenCacheOptions } from './token-cache';
import type { MetaStoreLike } from './account-meta';

export interface AccountsOptions {
  config: SwitchyardConfig;
  dataDir: string;
  hostOverrides?: () => HostOverrides;
  store?: SecretStore;
  defaultStore?: 'keychain' | 'file' | 'shared';
  clock?: Clock;
  fetch?: typeof fetch;
  /** Account metadata store (team server: the shared database); default accounts.json in the data dir. */
  meta?: MetaStoreLike;
  /** Cross-instance refresh lock (team server). */
  coordinator?: TokenCacheOptions['coordinator'];
}

/** Registry (loaded) + token cache wired together. Call `tokens.start()` for background refresh. */
export async function openAccounts(o: AccountsOptions): Promise<{ registry: AccountRegistry; tokens: TokenCache; store: SecretStore }> {
  const store = o.store ?? (await createSecretStore(o.config, o.dataDir, o.defaultStore));
  // Half-written accounts.json / auth-file temps (killed mid-write) hold tokens: removed at start.
  await removeStaleTempFiles(o.dataDir);
  await tightenSecretFiles(o.dataDir, (n) => n === 'accounts.json');
  if (store instanceof FileSecretStore) {
    await removeStaleTempFiles(store.dir);
    await tightenSecretFiles(store.dir, (n) => n.endsWith('.json'));
  }
  const registry = new AccountRegistry(store, o.dataDir, { clock: o.clock, meta: o.meta });
  await registry.load();
  const tokens = new TokenCache({
    registry,
    auths: authFor,
    hostOverrides: o.hostOverrides ?? (() => o.config['host-overrides']),
    clock: o.clock,
    fetch: o.fetch,
    coordinator: o.coordinator,
  });
  return { registry, tokens, store };
}
