import { OAUTH_PROVIDERS } from '../engine/accounts/auths';

/**
 * The usage text of every command, in one place: `--help` prints it to stdout (exit 0), an
 * argument error prints one line and then this text to stderr (exit 2).
 */
export const USAGE = {
  serve: `Usage: switchyard serve [--config FILE] [--port N] [--host ADDR]
Run the proxy headless until Ctrl-C / SIGTERM.
  --config FILE   config file (default $SWITCHYARD_HOME/config.yaml, created on first run)
  --port N        listen port (0 picks a free one and prints it); overrides "port:" in the file
  --host ADDR     bind address; a non-loopback address needs api-keys in the config`,
  login: `Usage: switchyard login <provider> [--no-browser] [--device] [--project ID] [--callback-port N] [--config FILE]
Sign in to a subscription account and store it.
Providers: ${OAUTH_PROVIDERS.join(', ')}
  --no-browser        print the URL (or device code) instead of opening a browser; paste the final redirect URL
  --device            device-code sign-in (codex)
  --project ID        Google Cloud project for gemini-cli
  --callback-port N   loopback port for the redirect instead of the provider's registered one`,
  accounts: `Usage: switchyard accounts [--json] [--config FILE]
List signed-in accounts with status and expiry (never secrets).
  --json   an array of {id, provider, label, status, expiresAt} on stdout, nothing else`,
  import: `Usage: switchyard import <dir> [--config FILE]
Import CLIProxyAPI auth files (e.g. ~/.cli-proxy-api); source files are never changed.`,
  config: `Usage: switchyard config check [FILE]
Validate a config file (default $SWITCHYARD_HOME/config.yaml): key, line and reason for each problem.`,
  keys: `Usage: switchyard keys rotate [--config FILE]
Re-seal every stored account (auth files or the shared database) with the first key of
SWITCHYARD_MASTER_KEY. Rotating: SWITCHYARD_MASTER_KEY=<new>,<old> switchyard keys rotate`,
} as const;

export type CommandName = keyof typeof USAGE;

export const SUMMARY: Record<CommandName, string> = {
  serve: 'serve [--config FILE] [--port N] [--host ADDR]   run the proxy headless',
  login: 'login <provider> [--no-browser]                  sign in to a provider account',
  accounts: 'accounts [--json]                                list signed-in accounts (never secrets)',
  import: 'import <dir>                                     import CLIProxyAPI auth files',
  config: 'config check [FILE]                              validate a config file',
  keys: 'keys rotate                                      re-seal stored tokens with a new master key',
};

export const MAIN_USAGE = `Usage: switchyard <command> [options]

Commands:
${Object.values(SUMMARY)
  .map((s) => `  ${s}`)
  .join('\n')}

  switchyard <command> --help    options of one command
  switchyard --version           the version

Data directory: $SWITCHYARD_HOME or ~/.switchyard`;
