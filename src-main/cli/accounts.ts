import { parseArgs } from 'node:util';
import { storeOf } from '../engine/accounts';
import { openCli, UsageError, type AccountCliIo } from './context';
import { USAGE } from './usage';

/**
 * `switchyard accounts [--json]`: signed-in accounts with status and expiry, never secrets.
 * JSON: an array of `{id, provider, label, status, expiresAt, store}`; `store` is where the
 * account lives (`file`: auth-dir, `keychain`: the OS keychain).
 */
export async function runAccounts(argv: string[], io: AccountCliIo): Promise<number> {
  let values: { json?: boolean; config?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, config: { type: 'string' } }, allowPositionals: false }));
  } catch (err) {
    io.stderr.write(`switchyard: ${(err as Error).message}\n\n${USAGE.accounts}\n`);
    return 2;
  }
  try {
    const cli = await openCli(io, values.config);
    for (const p of cli.registry.problems()) cli.err(`warning: ${p}`);
    const rows = cli.registry.list().map(({ id, provider, label, status, expiresAt }) => ({ id, provider, label, status, expiresAt, store: storeOf(cli.store, id) }));
    if (values.json) {
      cli.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (!rows.length) {
      cli.out('No signed-in accounts. Run `switchyard login <provider>` or `switchyard import <dir>`.');
      return 0;
    }
    const header = ['ID', 'PROVIDER', 'LABEL', 'STATUS', 'EXPIRES'];
    const table = [header, ...rows.map((r) => [r.id, r.provider, r.label, r.status, r.expiresAt ?? '-'])];
    const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const row of table) cli.out(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
    return 0;
  } catch (err) {
    io.stderr.write(`switchyard: ${(err as Error).message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
