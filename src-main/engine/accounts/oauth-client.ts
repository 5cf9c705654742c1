import * as oauth from 'oauth4webapi';
import { applyHostOverrides, type HostOverrides } from '../upstream/host-overrides';
import type { ProviderAuth } from './provider-auth';
import { AuthError, type TokenSet } from './types';

export interface OAuthSession {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  options: oauth.TokenEndpointRequestOptions & oauth.DeviceAuthorizationRequestOptions;
}

/**
 * The authorization server as oauth4webapi sees it, every endpoint passed through host-overrides.
 * `issuer` stays the real one so id_token `iss` checks still mean something behind an override.
 */
export async function openSession(auth: ProviderAuth, overrides: HostOverrides, fetchImpl: typeof fetch = fetch): Promise<OAuthSession> {
  const o = (u?: string) => (u ? applyHostOverrides(u, overrides) : undefined);
  let as: oauth.AuthorizationServer;
  const insecureOk = (u: string | undefined) => !!u && u.startsWith('http:');
  const customFetch = wrapFetch(auth, fetchImpl);
  if (auth.discovery) {
    const url = new URL(o(auth.issuer)!);
    const res = await oauth.discoveryRequest(url, {
      algorithm: 'oidc',
      [oauth.allowInsecureRequests]: insecureOk(url.href),
      [oauth.customFetch]: customFetch,
    });
    const found = await oauth.processDiscoveryResponse(new URL(auth.issuer), res).catch((err: unknown) => {
      throw toAuthError(auth, err, 'discovery');
    });
    as = {
      ...found,
      authorization_endpoint: o(found.authorization_endpoint),
      token_endpoint: o(found.token_endpoint),
      device_authorization_endpoint: o(found.device_authorization_endpoint),
    };
  } else {
    as = {
      issuer: auth.issuer,
      authorization_endpoint: o(auth.authorizationEndpoint),
      token_endpoint: o(auth.tokenEndpoint),
      device_authorization_endpoint: o(auth.deviceAuthorizationEndpoint),
    };
  }
  const insecure = [as.authorization_endpoint, as.token_endpoint, as.device_authorization_endpoint].some(insecureOk);
  const secret = auth.clientSecret ?? '';
  const clientAuth =
    auth.clientAuth === 'post' ? oauth.ClientSecretPost(secret) : auth.clientAuth === 'basic' ? oauth.ClientSecretBasic(secret) : oauth.None();
  return {
    as,
    client: { client_id: auth.clientId },
    clientAuth,
    // Plain http is allowed only where an override points an endpoint at one (tests, gateways).
    options: { [oauth.allowInsecureRequests]: insecure, [oauth.customFetch]: customFetch },
  };
}

/** Claude's token endpoint wants a JSON body; everything else gets the standard form. */
function wrapFetch(auth: ProviderAuth, fetchImpl: typeof fetch): (url: string, init: oauth.CustomFetchOptions<'POST' | 'GET', URLSearchParams | undefined>) => Promise<Response> {
  return (url, init) => {
    if (auth.tokenRequestFormat === 'json' && init.method === 'POST' && init.body instanceof URLSearchParams) {
      const headers = new Headers(init.headers);
      headers.set('content-type', 'application/json');
      return fetchImpl(url, { method: 'POST', headers, body: JSON.stringify(Object.fromEntries(init.body)), redirect: init.redirect, signal: init.signal });
    }
    return fetchImpl(url, init as RequestInit);
  };
}

/** Tokens as we store them; Google keeps the old refresh token when it sends none. */
export function tokenSetFrom(res: oauth.TokenEndpointResponse, now: number, previous?: TokenSet): TokenSet {
  return {
    accessToken: res.access_token,
    refreshToken: res.refresh_token ?? previous?.refreshToken,
    idToken: res.id_token ?? previous?.idToken,
    expiresAt: typeof res.expires_in === 'number' ? now + res.expires_in * 1000 : undefined,
    // oauth4webapi lower-cases it; auth files (Go oauth2, CLIProxyAPI) carry `Bearer`.
    tokenType: res.token_type === 'bearer' ? 'Bearer' : res.token_type,
    scope: res.scope ?? previous?.scope,
  };
}

export async function refreshTokens(auth: ProviderAuth, refreshToken: string, overrides: HostOverrides, fetchImpl?: typeof fetch): Promise<oauth.TokenEndpointResponse> {
  const s = await openSession(auth, overrides, fetchImpl);
  const params = new URLSearchParams();
  // Some refreshes ask for narrower scopes (Codex: the OpenID ones); Google and others take none.
  if (auth.refreshScope) params.set('scope', auth.refreshScope);
  try {
    const res = await oauth.refreshTokenGrantRequest(s.as, s.client, s.clientAuth, refreshToken, { ...s.options, additionalParameters: params });
    return await oauth.processRefreshTokenResponse(s.as, s.client, res);
  } catch (err) {
    throw toAuthError(auth, err, 'refresh');
  }
}

/** A readable error that carries the provider's own error text. */
export function toAuthError(auth: ProviderAuth, err: unknown, step: string): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    const text = err.error_description ? `${err.error}: ${err.error_description}` : err.error;
    return new AuthError(`${auth.displayName} ${step} failed (HTTP ${err.status}): ${text}`, err.error);
  }
  if (err instanceof oauth.AuthorizationResponseError) {
    const text = err.error_description ? `${err.error}: ${err.error_description}` : err.error;
    return new AuthError(`${auth.displayName} sign-in was refused: ${text}`, err.error);
  }
  const e = err as Error & { code?: string; cause?: unknown };
  if (e?.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && /state/i.test(e.message)) {
    return new AuthError(`${auth.displayName} sign-in: the state in the redirect does not match this sign-in (possible tampering); nothing was saved`, 'state_mismatch');
  }
  const cause = e?.cause instanceof Error ? ` (${e.cause.message})` : '';
  return new AuthError(`${auth.displayName} ${step} failed: ${e?.message ?? String(err)}${cause}`, 'network');
}

/** OAuth errors that mean "this sign-in is over": the user has to sign in again. */
const REFUSED = new Set(['invalid_grant', 'access_denied', 'unauthorized_client', 'invalid_token', 'no_refresh_token']);

/**
 * True when the server refused the grant itself (revoked or expired refresh token). Network
 * trouble, server errors and client misconfiguration (`invalid_client`) are retried later instead.
 */
export function isGrantRefused(err: unknown): boolean {
  return err instanceof AuthError && REFUSED.has(err.code);
}

/**
 * The client secret for a confidential client: built-in (env) first, else the one a Go oauth2
 * token in a CLIProxyAPI gemini file carries (`token.client_secret`).
 */
export function withRecordSecret(auth: ProviderAuth, record: Record<string, unknown>): ProviderAuth {
  if (auth.clientAuth === 'none' || auth.clientSecret) return auth;
  const nested = (record.token && typeof record.token === 'object' ? record.token : {}) as Record<string, unknown>;
  const secret = typeof nested.client_secret === 'string' ? nested.client_secret : typeof record.client_secret === 'string' ? record.client_secret : undefined;
  return secret ? { ...auth, clientSecret: secret } : auth;
}

/** Confidential clients cannot work without their secret: say so before opening a browser. */
export function assertClientSecret(auth: ProviderAuth): void {
  if (auth.clientAuth !== 'none' && !auth.clientSecret) {
    const env = auth.clientSecretEnv;
    throw new AuthError(
      `${auth.displayName} sign-in needs the public client secret of its official CLI; set ${env ?? 'the client secret'} in the environment`,
      'missing_client_secret',
    );
  }
}
