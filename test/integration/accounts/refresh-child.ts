// Child process for the "killed mid-refresh" test: open the accounts in a data dir and refresh
// one account. argv: dataDir accountId hostOverridesJson
import { FileSecretStore } from '../../../src-main/engine/accounts/file-secret-store';
import { AccountRegistry } from '../../../src-main/engine/accounts/registry';
import { TokenCache } from '../../../src-main/engine/accounts/token-cache';
import { authFor } from '../../../src-main/engine/accounts/auths';
import path from 'node:path';

const [dataDir, id, overrides] = process.argv.slice(2);
const registry = new AccountRegistry(new FileSecretStore(path.join(dataDir, 'auth')), dataDir);
await registry.load();
const tokens = new TokenCache({ registry, auths: authFor, hostOverrides: () => JSON.parse(overrides) as Record<string, string> });
process.stdout.write('refreshing\n');
await tokens.refresh(id);
process.stdout.write('refreshed\n');
