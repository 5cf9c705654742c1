import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import { keyringFromEnv } from './crypto/master-key';
import { migrate } from './postgres/migrations';
import { createPool, storeUrl } from './postgres/pool';
import { PgSecretStore } from './postgres/secret-store';
import { PgMetaStore } from './postgres/meta-store';

/**
 * The shared account store for one CLI command (`login`, `accounts`, `import`, `keys rotate`) when
 * `store.driver` is postgres, so a command on any host sees and writes the team's accounts. The
 * pool lets the process exit as soon as the command is done (no listener, idle clients released).
 */
export function openSharedSecretStore(cfg: SwitchyardConfig): (PgSecretStore & { meta: PgMetaStore }) | undefined {
  if (cfg.store.driver !== 'postgres') return undefined;
  const keyring = keyringFromEnv();
  if (!keyring) throw new Error('store.driver is postgres: set SWITCHYARD_MASTER_KEY (the key the team server uses)');
  const pool = createPool(storeUrl(cfg.store.url), () => undefined, { allowExitOnIdle: true });
  const ready = migrate(pool);
  return Object.assign(new PgSecretStore(pool, ready, keyring), { meta: new PgMetaStore(pool, ready) });
}
