import * as oauth from 'oauth4webapi';
import type { HostOverrides } from '../upstream/host-overrides';
import { openSession, toAuthError } from './oauth-client';
import type { ProviderAuth } from './provider-auth';
import type { SignInPrompt } from './oauth-runner';
import { AuthError } from './types';

export interface DeviceFlowOptions {
  hostOverrides: HostOverrides;
  openUrl?: (url: string) => void | Promise<void>;
  noBrowser?: boolean;
  say: (line: string) => void;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Poll interval floor in ms (tests shorten it; real servers send their own interval). */
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onPrompt?: (p: SignInPrompt) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Device-authorization sign-in (RFC 8628): show the verification URL and code, poll the token
 * endpoint, honour `slow_down`, stop on `expired_token` / `access_denied` with the provider's text.
 * Qwen adds PKCE to the device request and the poll.
 */
export async function runDeviceFlow(auth: ProviderAuth, opts: DeviceFlowOptions): Promise<oauth.TokenEndpointResponse> {
  const s = await openSession(auth, opts.hostOverrides, opts.fetch);
  const verifier = oauth.generateRandomCodeVerifier();
  const params: Record<string, string> = { scope: auth.scopes.join(' ') };
  if (!auth.scopes.length) delete params.scope;
  if (auth.pkce) {
    params.code_challenge = await oauth.calculatePKCECodeChallenge(verifier);
    params.code_challenge_method = 'S256';
  }
  let device: oauth.DeviceAuthorizationResponse;
  try {
    const res = await oauth.deviceAuthorizationRequest(s.as, s.client, s.clientAuth, params, s.options);
    device = await oauth.processDeviceAuthorizationResponse(s.as, s.client, res);
  } catch (err) {
    throw toAuthError(auth, err, 'device authorization');
  }
  const verifyUrl = device.verification_uri;
  opts.say(`Open ${verifyUrl} and enter code ${device.user_code}`);
  opts.onPrompt?.({ kind: 'device', verificationUri: verifyUrl, userCode: device.user_code, verificationUriComplete: device.verification_uri_complete });
  if (!opts.noBrowser && opts.openUrl) await opts.openUrl(device.verification_uri_complete ?? verifyUrl);

  const sleep = opts.sleep ?? defaultSleep;
  let interval = opts.pollIntervalMs ?? (device.interval ?? 5) * 1000;
  const deadline = Date.now() + device.expires_in * 1000 + 5_000;
  const extra = auth.pkce ? { additionalParameters: { code_verifier: verifier } } : {};
  for (;;) {
    if (opts.signal?.aborted) throw new AuthError('sign-in cancelled', 'cancelled');
    await sleep(interval);
    try {
      const res = await oauth.deviceCodeGrantRequest(s.as, s.client, s.clientAuth, device.device_code, { ...s.options, ...extra });
      return await oauth.processDeviceCodeResponse(s.as, s.client, res);
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError) {
        if (err.error === 'authorization_pending') {
          if (Date.now() > deadline) throw new AuthError(`${auth.displayName} device code expired before sign-in finished; run login again`, 'expired_token');
          continue;
        }
        if (err.error === 'slow_down') {
          interval = Math.min(Math.ceil(interval * 1.5), Math.max(interval, 10_000));
          continue;
        }
        if (err.error === 'expired_token') {
          throw new AuthError(`${auth.displayName} device code expired before sign-in finished; run login again (${err.error_description ?? err.error})`, 'expired_token');
        }
        if (err.error === 'access_denied') {
          throw new AuthError(`${auth.displayName} sign-in was denied: ${err.error_description ?? err.error}`, 'access_denied');
        }
      }
      throw toAuthError(auth, err, 'device sign-in');
    }
  }
}
