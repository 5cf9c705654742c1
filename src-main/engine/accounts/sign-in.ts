import type { Account } from '../providers/provider';
import type { HostOverrides } from '../upstream/host-overrides';
import { accountIdFor } from './auth-file';
import { authFor } from './auths';
import { runDeviceFlow } from './device-runner';
import { assertClientSecret, toAuthError } from './oauth-client';
import { runBrowserFlow, type SignInPrompt } from './oauth-runner';
import type { ProviderAuth } from './provider-auth';
import type { AccountRegistry } from './registry';
import { AuthError, systemClock, type Clock, type OAuthProviderId } from './types';

export interface SignInOptions {
  registry: AccountRegistry;
  hostOverrides: HostOverrides;
  say: (line: string) => void;
  /** Structured prompt (browser URL or device code) for UIs; the same facts also go to `say`. */
  onPrompt?: (p: SignInPrompt) => void;
  openUrl?: (url: string) => void | Promise<void>;
  noBrowser?: boolean;
  pasted?: AsyncIterable<string>;
  callbackPort?: number;
  projectId?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Device-flow poll floor (tests). */
  pollIntervalMs?: number;
  /** Use the provider's device-style alternative to the browser flow (Codex). */
  device?: boolean;
  /** Replace provider facts (tests, forks); defaults to the built-in table. */
  auth?: ProviderAuth;
}

/**
 * One complete sign-in: browser or device flow, the provider's finishing step (e-mail label,
 * project discovery, API key), then the account is stored. Nothing is stored on any failure.
 */
export async function signIn(provider: OAuthProviderId, o: SignInOptions): Promise<{ account: Account; label: string }> {
  const auth = o.auth ?? authFor(provider);
  const clock = o.clock ?? systemClock;
  assertClientSecret(auth);
  if (auth.planNote) o.say(auth.planNote);
  if (o.device && auth.flow !== 'device' && !auth.deviceAlternative) {
    throw new AuthError(`${auth.displayName} has no device sign-in; use the browser flow (with --no-browser to paste the redirect URL)`, 'unsupported');
  }
  const tokens =
    auth.signInFlow
      ? await auth.signInFlow(o)
      : auth.flow === 'device'
      ? await runDeviceFlow(auth, o)
      : o.device && auth.deviceAlternative
        ? await auth.deviceAlternative(auth, o)
        : await runBrowserFlow(auth, o);
  const now = clock();
  let result;
  try {
    result = await auth.finish(tokens, { hostOverrides: o.hostOverrides, fetch: o.fetch ?? fetch, now, say: o.say, projectId: o.projectId, clientSecret: auth.clientSecret });
  } catch (err) {
    throw toAuthError(auth, err, 'account setup');
  }
  const id = accountIdFor(provider, result.fileKey ?? result.label, { projectId: result.projectId, now });
  const account = await o.registry.add({
    provider,
    id,
    record: result.record,
    label: result.label,
    projectId: result.projectId,
    extra: result.extra,
  });
  return { account, label: result.label };
}
