import { existsSync } from 'node:fs';
import { ConfigError, loadConfigFile } from '../engine/config/load';
import { defaultConfigPath } from '../engine/config/paths';
import { didYouMean } from '../engine/config/suggest';
import { ArgumentError, parseCommandArgs } from './args';
import type { CliIo } from './commands';

/**
 * `switchyard config check [FILE]`: exit 0 when the file is usable (warnings, e.g. unknown keys
 * with a "did you mean", go to stdout), 2 with file:line, key and reason when it is not.
 */
export async function runConfig(argv: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(argv, {}, true);
  const [sub, ...rest] = positionals;
  if (sub !== 'check') throw new ArgumentError(sub ? `unknown config subcommand "${sub}"${didYouMean(sub, ['check'])}` : 'which config subcommand?');
  if (rest.length > 1) throw new ArgumentError(`config check takes one file, got ${rest.length}`);
  const explicit = rest[0];
  const file = explicit ?? defaultConfigPath();
  if (!existsSync(file)) {
    // Not an error on a fresh data directory: serve writes this file on its first start.
    if (explicit) {
      io.stderr.write(`switchyard: ${file} does not exist (serve --config ${file} would create it with the defaults)\n`);
      return 2;
    }
    io.stdout.write(
      `No config file yet: ${file} does not exist.\n` +
        'switchyard serve will create it on first start with the commented defaults (127.0.0.1:8317, ' +
        'no api-keys, usage history on, panel off); until then the defaults apply.\n',
    );
    return 0;
  }
  try {
    const loaded = await loadConfigFile(file);
    for (const w of loaded.warnings) io.stdout.write(`warning: ${w}\n`);
    io.stdout.write(`${file}: OK\n`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
