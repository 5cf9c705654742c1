import { didYouMean } from '../engine/config/suggest';
import { ArgumentError, wantsHelp } from './args';
import { COMMANDS, commandNamed, type CliIo } from './commands';
import { MAIN_USAGE } from './usage';
import { SWITCHYARD_VERSION } from './version';

/**
 * Dispatch one command line. Exit codes: 0 ok, 1 the command failed, 2 bad usage; -1 while
 * `serve` keeps running. Argument errors are one line plus the command's usage, never a stack.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    io.stderr.write(`${MAIN_USAGE}\n`);
    return 2;
  }
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    io.stdout.write(`switchyard ${SWITCHYARD_VERSION}\n`);
    return 0;
  }
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const about = rest[0] === undefined ? undefined : commandNamed(rest[0]);
    io.stdout.write(`${about?.usage ?? MAIN_USAGE}\n`);
    return 0;
  }
  const command = commandNamed(cmd);
  if (!command) {
    const hint = cmd.startsWith('-') ? '' : didYouMean(cmd, Object.keys(COMMANDS));
    io.stderr.write(`switchyard: unknown ${cmd.startsWith('-') ? 'option' : 'command'} "${cmd}"${hint}\n\n${MAIN_USAGE}\n`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (!(err instanceof ArgumentError)) throw err;
    io.stderr.write(`switchyard: ${err.message}\n\n${command.usage}\n`);
    return 2;
  }
}
