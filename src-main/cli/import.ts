import path from 'node:path';
import { parseArgs } from 'node:util';
import { importAuthDir } from '../engine/accounts/import';
import { openCli, UsageError, type AccountCliIo } from './context';
import { USAGE } from './usage';

/**
 * `switchyard import <dir>`: copy CLIProxyAPI auth files into our secret store. Malformed and
 * unsupported files are listed and skipped; source files are never changed. Exit 1 when nothing
 * could be imported but something was skipped.
 */
export async function runImport(argv: string[], io: AccountCliIo): Promise<number> {
  let values: { config?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: { config: { type: 'string' } }, allowPositionals: true }));
  } catch (err) {
    io.stderr.write(`switchyard: ${(err as Error).message}\n\n${USAGE.import}\n`);
    return 2;
  }
  if (positionals.length !== 1) {
    io.stderr.write(`switchyard: import takes one directory (a CLIProxyAPI auth-dir, e.g. ~/.cli-proxy-api)\n\n${USAGE.import}\n`);
    return 2;
  }
  try {
    const cli = await openCli(io, values.config);
    const report = await importAuthDir(path.resolve(positionals[0]), cli.registry);
    for (const i of report.imported) cli.out(`${i.replaced ? 'Updated' : 'Imported'} ${i.id} (${i.provider}, ${i.label})`);
    for (const s of report.skipped) cli.err(`skipped ${s.file}: ${s.reason}`);
    cli.out(`${report.imported.length} account(s) imported, ${report.skipped.length} file(s) skipped`);
    return report.imported.length === 0 && report.skipped.length > 0 ? 1 : 0;
  } catch (err) {
    io.stderr.write(`switchyard: ${(err as Error).message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
