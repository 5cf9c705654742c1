import { readmeCommands } from './readme';

/**
 * Which test runs which README command. A README command that matches none of these has no
 * test, and coverage.test.ts fails until one is added here and in the file named.
 */
export const COVERAGE = {
  /** coverage.test.ts: the installer is checked dry; the command after `&&` runs in its own test. */
  setup: /^bash scripts\/setup\.sh(?: --tests)? && (.+)$/,
  /** serve.test.ts */
  serve: /^npm run serve(?: -- --port (\d+))?$/,
  /** coverage.test.ts (`npm test` cannot run inside `npm test`): the script it names exists. */
  npmTest: /^npm test$/,
  /** login.test.ts */
  login: /^npm run switchyard -- login (\S+)( --no-browser)?$/,
  /** serve.test.ts, login.test.ts */
  accountsJson: /^npm run -s switchyard -- accounts --json$/,
  /** serve.test.ts */
  import: /^npm run switchyard -- import (\S+)$/,
  /** serve.test.ts */
  configCheck: /^npm run switchyard -- config check$/,
  /** serve.test.ts */
  help: /^npm run switchyard -- --help$/,
} as const;

export type Coverage = keyof typeof COVERAGE;

/** README commands of one kind, each exactly as written (the `setup` lines contribute their second half). */
export function commandsFor(kind: Coverage): string[] {
  const all = readmeCommands().commands.flatMap((c) => {
    const setup = COVERAGE.setup.exec(c);
    return setup ? [c, setup[1]] : [c];
  });
  return [...new Set(all)].filter((c) => COVERAGE[kind].test(c));
}
