import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** A wrong command line: shown as one line plus the command's usage, exit code 2. */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

/** `--help` / `-h` anywhere before a `--` terminator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** node:util parseArgs, with its errors turned into ArgumentError (message only, no stack). */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(argv: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    // Node's messages are one sentence plus advice about `--`; the sentence is what matters.
    const msg = (err as Error).message.split('. To specify a positional')[0];
    throw new ArgumentError(msg);
  }
}
