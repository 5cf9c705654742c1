// Child process for "killing the refreshing instance mid-refresh loses no token": one instance
// over the shared database refreshes one account under the cross-instance lock.
// argv: databaseUrl dataDir accountId hostOverridesJson   (SWITCHYARD_MASTER_KEY in the env)
import { AccountRegistry } from '../../../src-main/engine/accounts/registry';
import { TokenCache } from '../../../src-main/engine/accounts/token-cache';
import { authFor } from '../../../src-main/engine/accounts/auths';
import { createPool } from '../../../src-main/engine/team/postgres/pool';
import { PgSecretStore } from '../../../src-main/engine/team/postgres/secret-store';
import { withAccountLock } from '../../../src-main/engine/team/postgres/refresh-lock';
import { keyringFromEnv } from '../../../src-main/engine/team/crypto/master-key';

const [url, dataDir, id, overrides] = process.argv.slice(2);
const pool = createPool(url, () => undefined);
const registry = new AccountRegistry(new PgSecretStore(pool, Promise.resolve(), keyringFromEnv()!), dataDir);
await registry.load();
const tokens = new TokenCache({
  registry,
  auths: authFor,
  hostOverrides: () => JSON.parse(overrides) as Record<string, string>,
  coordinator: { exclusive: (accountId, fn) => withAccountLock(pool, accountId, fn) },
});
process.stdout.write('refreshing\n');
await tokens.refresh(id);
process.stdout.write('refreshed\n');
