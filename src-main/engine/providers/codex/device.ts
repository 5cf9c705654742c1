import * as oauth from 'oauth4webapi';
import { callJson, str } from '../../accounts/http';
import { openSession, toAuthError } from '../../accounts/oauth-client';
import type { DeviceFlowOptions } from '../../accounts/device-runner';
import type { ProviderAuth } from '../../accounts/provider-auth';
import { AuthError } from '../../accounts/types';
import { applyHostOverrides } from '../../upstream/host-overrides';

const ISSUER = 'https://auth.openai.com';
export const CODEX_DEVICE_PAGE = `${ISSUER}/codex/device`;
export const CODEX_DEVICE_CALLBACK = `${ISSUER}/deviceauth/callback`;

/**
 * Codex's own device sign-in (not RFC 8628): ask `deviceauth/usercode` for a code, poll
 * `deviceauth/token` (403/404 = still waiting) until it hands back an authorization code together
 * with its PKCE verifier, then exchange that code like the browser flow does.
 */
export async function runCodexDeviceFlow(auth: ProviderAuth, opts: DeviceFlowOptions): Promise<oauth.TokenEndpointResponse> {
  const fetchImpl = opts.fetch ?? fetch;
  const ctx = { hostOverrides: opts.hostOverrides, fetch: fetchImpl, now: Date.now(), say: opts.say };
  const start = await callJson(ctx, 'Codex device code request', `${ISSUER}/api/accounts/deviceauth/usercode`, { body: { client_id: auth.clientId } });
  const deviceAuthId = str(start.device_auth_id);
  const userCode = str(start.user_code) ?? str(start.usercode);
  if (!deviceAuthId || !userCode) throw new AuthError('Codex device code request returned no code', 'upstream_error');
  opts.say(`Open ${CODEX_DEVICE_PAGE} and enter code ${userCode}`);
  opts.onPrompt?.({ kind: 'device', verificationUri: CODEX_DEVICE_PAGE, userCode });
  if (!opts.noBrowser && opts.openUrl) await opts.openUrl(CODEX_DEVICE_PAGE);

  const interval = opts.pollIntervalMs ?? Math.max(1, Number(start.interval ?? 5) || 5) * 1000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + 15 * 60_000;
  const pollUrl = applyHostOverrides(`${ISSUER}/api/accounts/deviceauth/token`, opts.hostOverrides);
  let grant: Record<string, unknown> | undefined;
  while (!grant) {
    if (opts.signal?.aborted) throw new AuthError('sign-in cancelled', 'cancelled');
    if (Date.now() > deadline) throw new AuthError('Codex device code expired before sign-in finished (15 minutes); run login again', 'expired_token');
    await sleep(interval);
    let res: Response;
    try {
      res = await fetchImpl(pollUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ device_auth_id: deviceAuthId, user_code: userCode }),
      });
    } catch (err) {
      throw new AuthError(`Codex device sign-in failed: ${(err as Error).message}`, 'network');
    }
    const text = await res.text();
    if (res.status === 403 || res.status === 404) continue;
    if (!res.ok) throw new AuthError(`Codex device sign-in failed (HTTP ${res.status}): ${text.slice(0, 300)}`, res.status === 400 ? 'access_denied' : 'upstream_error');
    grant = JSON.parse(text) as Record<string, unknown>;
  }
  const code = str(grant.authorization_code);
  const verifier = str(grant.code_verifier);
  if (!code || !verifier) throw new AuthError('Codex device sign-in returned no authorization code', 'upstream_error');
  const s = await openSession(auth, opts.hostOverrides, fetchImpl);
  try {
    const res = await oauth.genericTokenEndpointRequest(
      s.as,
      s.client,
      s.clientAuth,
      'authorization_code',
      { code, redirect_uri: CODEX_DEVICE_CALLBACK, code_verifier: verifier },
      s.options,
    );
    return await oauth.processGenericTokenEndpointResponse(s.as, s.client, res);
  } catch (err) {
    throw toAuthError(auth, err, 'token exchange');
  }
}
