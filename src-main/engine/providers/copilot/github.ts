import type * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { DeviceFlowOptions } from '../../accounts/device-runner';
import { AuthError } from '../../accounts/types';
import { applyHostOverrides, type HostOverrides } from '../../upstream/host-overrides';
import { GITHUB_API, GITHUB_CLIENT_ID, GITHUB_ORIGIN, githubApiHeaders } from './identity';

/**
 * GitHub's device flow and the Copilot token exchange. GitHub's OAuth endpoints are not quite
 * RFC 8628: they answer form posts with form text unless asked for JSON, and report
 * `authorization_pending` / `slow_down` with HTTP **200** — so this is a small runner of its own.
 */

const deviceSchema = z.looseObject({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.string().min(1),
  expires_in: z.number().positive(),
  interval: z.number().nonnegative().nullish(),
});
const pollSchema = z.looseObject({
  access_token: z.string().min(1).nullish(),
  token_type: z.string().nullish(),
  scope: z.string().nullish(),
  error: z.string().nullish(),
  error_description: z.string().nullish(),
  interval: z.number().nullish(),
});
/** `GET /copilot_internal/v2/token`. */
const copilotTokenSchema = z.looseObject({
  token: z.string().min(1),
  /** Unix seconds. */
  expires_at: z.number(),
  /** Seconds after which the editors fetch a new token (before it expires). */
  refresh_in: z.number().nullish(),
  endpoints: z.looseObject({ api: z.string().nullish() }).nullish(),
});

type Fetch = typeof fetch;

async function postForm(f: Fetch, overrides: HostOverrides, url: string, form: Record<string, string>): Promise<unknown> {
  let res: Response;
  try {
    res = await f(applyHostOverrides(url, overrides), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  } catch (err) {
    throw new AuthError(`GitHub sign-in failed: ${(err as Error).message}`, 'network');
  }
  const text = await res.text();
  if (!res.ok) throw new AuthError(`GitHub sign-in failed (HTTP ${res.status}): ${text.slice(0, 300)}`, 'upstream_error');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AuthError('GitHub sign-in: the answer is not JSON', 'upstream_error');
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Device flow → GitHub OAuth token (`gho_…`); the user sees `Open <url> and enter code <code>`. */
export async function githubDeviceSignIn(opts: DeviceFlowOptions): Promise<string> {
  const f = opts.fetch ?? fetch;
  const started = deviceSchema.safeParse(await postForm(f, opts.hostOverrides, `${GITHUB_ORIGIN}/login/device/code`, { client_id: GITHUB_CLIENT_ID, scope: 'read:user' }));
  if (!started.success) throw new AuthError('GitHub device authorization answered without a device code', 'upstream_error');
  const device = started.data;
  opts.say(`Open ${device.verification_uri} and enter code ${device.user_code}`);
  opts.onPrompt?.({ kind: 'device', verificationUri: device.verification_uri, userCode: device.user_code });
  if (!opts.noBrowser && opts.openUrl) await opts.openUrl(device.verification_uri);

  const sleep = opts.sleep ?? defaultSleep;
  let interval = opts.pollIntervalMs ?? (device.interval ?? 5) * 1000;
  const deadline = Date.now() + device.expires_in * 1000 + 5_000;
  for (;;) {
    if (opts.signal?.aborted) throw new AuthError('sign-in cancelled', 'cancelled');
    await sleep(interval);
    const polled = pollSchema.safeParse(
      await postForm(f, opts.hostOverrides, `${GITHUB_ORIGIN}/login/oauth/access_token`, {
        client_id: GITHUB_CLIENT_ID,
        device_code: device.device_code,
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      }),
    );
    if (!polled.success) throw new AuthError('GitHub token endpoint answered something unreadable', 'upstream_error');
    const p = polled.data;
    if (p.access_token) return p.access_token;
    const why = p.error_description ?? p.error ?? 'no token';
    if (p.error === 'authorization_pending') {
      if (Date.now() > deadline) throw new AuthError('GitHub device code expired before sign-in finished; run login again', 'expired_token');
      continue;
    }
    // GitHub adds 5 s per slow_down and says the new interval in the body.
    if (p.error === 'slow_down') {
      interval = opts.pollIntervalMs ?? (p.interval ?? interval / 1000 + 5) * 1000;
      continue;
    }
    if (p.error === 'expired_token') throw new AuthError(`GitHub device code expired before sign-in finished; run login again (${why})`, 'expired_token');
    if (p.error === 'access_denied') throw new AuthError(`GitHub sign-in was denied: ${why}`, 'access_denied');
    throw new AuthError(`GitHub sign-in failed: ${why}`, p.error ?? 'upstream_error');
  }
}

/**
 * GitHub token → short-lived Copilot token, shaped as a token response so the account store
 * and the refresh loop treat it like any OAuth access token: the GitHub token rides as the
 * "refresh token", and `expires_in` is counted to `refresh_in` (the editors' own renewal time)
 * when GitHub sends it, so the refresh happens before `expires_at`.
 */
export async function exchangeForCopilotToken(githubToken: string, overrides: HostOverrides, f: Fetch = fetch, now = Date.now()): Promise<oauth.TokenEndpointResponse> {
  let res: Response;
  try {
    res = await f(applyHostOverrides(`${GITHUB_API}/copilot_internal/v2/token`, overrides), { method: 'GET', headers: githubApiHeaders(githubToken) });
  } catch (err) {
    throw new AuthError(`Copilot token exchange failed: ${(err as Error).message}`, 'network');
  }
  const text = await res.text();
  // 401: the GitHub token was revoked (sign in again); 403/404: no Copilot seat on this account.
  if (res.status === 401) throw new AuthError(`GitHub refused the stored token (HTTP 401): ${text.slice(0, 300)}`, 'invalid_grant');
  if (!res.ok) throw new AuthError(`Copilot token exchange failed (HTTP ${res.status}): ${text.slice(0, 300)}`, res.status === 403 || res.status === 404 ? 'access_denied' : 'upstream_error');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const t = copilotTokenSchema.safeParse(body);
  if (!t.success) throw new AuthError('Copilot token exchange answered without a token', 'upstream_error');
  const untilExpiry = Math.max(0, t.data.expires_at - Math.floor(now / 1000));
  const expiresIn = t.data.refresh_in != null ? Math.min(untilExpiry, t.data.refresh_in + 60) : untilExpiry;
  return {
    access_token: t.data.token,
    token_type: 'bearer',
    expires_in: expiresIn,
    refresh_token: githubToken,
    ...(t.data.endpoints?.api ? { copilot_api: t.data.endpoints.api } : {}),
  } as oauth.TokenEndpointResponse;
}
