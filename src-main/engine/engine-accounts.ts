import type { AccountStatus } from '../../src-shared/domain/accounts';
import type { ConfigStore } from './config/store';
import type { Logger } from './log/logger';
import { openAccounts, watchAccounts, type AccountRegistry, type TokenCache } from './accounts';
import type { SecretStore } from './accounts/secret-store';
import type { Account } from './providers/provider';
import type { Routing } from './routing';
import type { TeamStore } from './team';

/** What the engine derives for an account from its record and routing; `error` is the UI's own. */
export type EngineAccountStatus = Exclude<AccountStatus, 'error'>;

/** active | cooling | disabled | needs-sign-in, as lists, meters and the tray show it. */
export function accountStatusOf(a: Account, routing: Routing): EngineAccountStatus {
  if (a.disabled) return 'disabled';
  if (a.meta.needsLogin === true) return 'needs-sign-in';
  // A rejected credential (needs sign-in / invalid key) is not a cooldown.
  if (routing.authBlock(a)) return 'needs-sign-in';
  // Cooling for any model counts: the account is not at full strength.
  return routing.cooldownsFor(a.id).length > 0 ? 'cooling' : 'active';
}

export interface SignedInOptions {
  config: ConfigStore;
  dataDir: string;
  defaultStore: 'keychain' | 'file' | 'shared';
  team?: TeamStore;
  /** A secret store to use when no team store provides one (tests: a store that answers late). */
  store?: SecretStore;
  logger: Logger;
  /** The account list changed (sign-in, sign-out, another process's login). */
  onChange: () => void;
}

export interface SignedIn {
  registry: AccountRegistry;
  tokens: TokenCache;
  stopWatch: () => void;
}

/** Open the signed-in accounts (secret store, registry, token refresh, file watch); undefined if unavailable. */
export async function openSignedIn(o: SignedInOptions): Promise<SignedIn | undefined> {
  try {
    const { registry, tokens } = await openAccounts({
      config: o.config.current,
      dataDir: o.dataDir,
      hostOverrides: () => o.config.current['host-overrides'],
      defaultStore: o.defaultStore,
      store: o.team?.secrets ?? o.store,
      coordinator: o.team?.coordinator,
      meta: o.team?.accountMeta,
    });
    // A token refreshed (or an account added) by another instance: pick it up at once.
    o.team?.onSecretsChanged(() => void registry.load().catch((err: Error) => o.logger.warn('account reload', { error: err.message })));
    for (const p of registry.problems()) o.logger.warn('account problem', { problem: p });
    registry.on('change', o.onChange);
    registry.on('store-error', (problem: string) => o.logger.error('account secret not saved', { problem }));
    return { registry, tokens, stopWatch: () => undefined };
  } catch (err) {
    o.logger.error('signed-in accounts unavailable', { error: (err as Error).message });
    return undefined;
  }
}

/** After the engine took the registry in: start refreshing and watching for other processes' logins. */
export function startSignedIn(s: SignedIn, logger: Logger): void {
  try {
    s.tokens.start();
    // Accounts added by `switchyard login` / `import` in another process show up here.
    s.stopWatch = watchAccounts(s.registry, { onError: (err) => logger.warn('account watch', { error: err.message }) });
  } catch (err) {
    logger.error('signed-in accounts unavailable', { error: (err as Error).message });
  }
}

/** Open the signed-in accounts, hand them to `adopt`, then start them; returns how to stop watching. */
export async function loadSignedIn(o: SignedInOptions, adopt: (s: SignedIn) => void): Promise<(() => void) | undefined> {
  const signedIn = await openSignedIn(o);
  if (!signedIn) return undefined;
  adopt(signedIn);
  startSignedIn(signedIn, o.logger);
  return () => signedIn.stopWatch();
}
