import { parseArgs } from 'node:util';
import { isOAuthProvider, OAUTH_PROVIDERS } from '../engine/accounts/auths';
import { didYouMean } from '../engine/config/suggest';
import { signIn } from '../engine/accounts/sign-in';
import { openCli, stdinLines, systemOpenUrl, UsageError, type AccountCliIo } from './context';
import { USAGE as ALL_USAGE } from './usage';

const USAGE = ALL_USAGE.login;

/**
 * `switchyard login <provider>`: run the provider's sign-in and store the account.
 * Exit 0 on success (`Signed in to <provider> as <label>`), 1 on a failed sign-in, 2 on bad usage.
 */
export async function runLogin(argv: string[], io: AccountCliIo): Promise<number> {
  let values: { 'no-browser'?: boolean; device?: boolean; project?: string; 'callback-port'?: string; config?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { 'no-browser': { type: 'boolean' }, device: { type: 'boolean' }, project: { type: 'string' }, 'callback-port': { type: 'string' }, config: { type: 'string' } },
      allowPositionals: true,
    }));
  } catch (err) {
    io.stderr.write(`switchyard: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const provider = positionals[0];
  if (!provider || positionals.length > 1 || !isOAuthProvider(provider)) {
    io.stderr.write(`switchyard: ${provider ? `unknown provider "${provider}"${didYouMean(provider, OAUTH_PROVIDERS)}` : 'which provider?'}\n${USAGE}\n`);
    return 2;
  }
  const port = values['callback-port'] !== undefined ? Number(values['callback-port']) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    io.stderr.write(`switchyard: --callback-port must be a port number, got "${values['callback-port']}"\n`);
    return 2;
  }
  const stdin = stdinLines(io.stdin);
  try {
    const cli = await openCli(io, values.config);
    const noBrowser = values['no-browser'] === true;
    const { label } = await signIn(provider, {
      registry: cli.registry,
      hostOverrides: cli.hostOverrides,
      say: cli.out,
      noBrowser,
      openUrl: noBrowser ? undefined : (io.openUrl ?? systemOpenUrl),
      pasted: stdin.lines,
      callbackPort: port,
      projectId: values.project,
      device: values.device === true,
    });
    cli.out(`Signed in to ${provider} as ${label}`);
    return 0;
  } catch (err) {
    io.stderr.write(`switchyard: ${err instanceof UsageError ? err.message : `sign-in to ${provider} failed: ${(err as Error).message}`}\n`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    stdin.close();
  }
}
