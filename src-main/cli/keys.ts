import { parseArgs } from 'node:util';
import { createSecretStore } from '../engine/accounts';
import { ConfigError, loadConfigFile } from '../engine/config/load';
import { dataDir as defaultDataDir, defaultConfigPath } from '../engine/config/paths';
import { keyringFromEnv } from '../engine/team/crypto/master-key';
import { openSharedSecretStore } from '../engine/team/cli-store';
import { rotateSecrets } from '../engine/team/keys-rotate';
import type { AccountCliIo } from './context';
import { USAGE } from './usage';

/**
 * `switchyard keys rotate`: re-seal every stored account with the first key of
 * SWITCHYARD_MASTER_KEY (give the old key after a comma so old records still open).
 */
export async function runKeys(argv: string[], io: AccountCliIo): Promise<number> {
  let values: { config?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: { config: { type: 'string' } }, allowPositionals: true }));
  } catch (err) {
    io.stderr.write(`switchyard: ${(err as Error).message}\n\n${USAGE.keys}\n`);
    return 2;
  }
  if (positionals.length !== 1 || positionals[0] !== 'rotate') {
    io.stderr.write(`switchyard: keys takes one action: rotate\n\n${USAGE.keys}\n`);
    return 2;
  }
  let keyring;
  try {
    keyring = keyringFromEnv();
  } catch (err) {
    io.stderr.write(`switchyard: ${(err as Error).message}\n`);
    return 2;
  }
  if (!keyring) {
    io.stderr.write('switchyard: set SWITCHYARD_MASTER_KEY=<new key>[,<old key>] to rotate\n');
    return 2;
  }
  try {
    const config = io.config ?? (await loadConfigFile(values.config ?? defaultConfigPath(), { create: !values.config })).config;
    const store = io.secretStore ?? openSharedSecretStore(config) ?? (await createSecretStore(config, io.dataDir ?? defaultDataDir(), 'file'));
    if (store.kind === 'keychain') {
      io.stderr.write('switchyard: accounts in the OS keychain are protected by the keychain itself; nothing to rotate\n');
      return 2;
    }
    const report = await rotateSecrets(store);
    for (const s of report.skipped) io.stderr.write(`skipped ${s.id}: ${s.reason}\n`);
    io.stdout.write(`${report.resealed} account(s) sealed with key ${keyring.current.id}, ${report.skipped.length} skipped\n`);
    return report.skipped.length > 0 ? 1 : 0;
  } catch (err) {
    io.stderr.write(`switchyard: ${err instanceof ConfigError ? `invalid config\n${err.message}` : (err as Error).message}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
}
