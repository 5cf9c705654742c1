import { USAGE, type CommandName } from './usage';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export interface Command {
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/**
 * Every subcommand, with literal import paths: the bundler includes each module and the type
 * checker checks each name (a renamed `runLogin` fails `tsc`, not the user's first command).
 * Loaded on demand so `accounts` does not pay for the engine `serve` needs.
 */
export const COMMANDS: Readonly<Record<CommandName, Command>> = {
  serve: { usage: USAGE.serve, run: async (argv, io) => (await import('./serve')).runServe(argv, io) },
  login: { usage: USAGE.login, run: async (argv, io) => (await import('./login')).runLogin(argv, io) },
  accounts: { usage: USAGE.accounts, run: async (argv, io) => (await import('./accounts')).runAccounts(argv, io) },
  import: { usage: USAGE.import, run: async (argv, io) => (await import('./import')).runImport(argv, io) },
  config: { usage: USAGE.config, run: async (argv, io) => (await import('./config-check')).runConfig(argv, io) },
  keys: { usage: USAGE.keys, run: async (argv, io) => (await import('./keys')).runKeys(argv, io) },
};

/** Own-property lookup only (no `toString`, `__proto__` …). */
export function commandNamed(name: string): Command | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
}
