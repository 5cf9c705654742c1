import { callJson, expiryIso, str } from '../../accounts/http';
import type { FlowContext, ProviderAuth } from '../../accounts/provider-auth';
import { AuthError, type AuthRecord } from '../../accounts/types';

export const IFLOW_USERINFO = 'https://iflow.cn/api/oauth/getUserInfo';

/** iFlow's OAuth token only buys an API key: the key is what the chat API accepts. */
async function fetchApiKey(ctx: FlowContext, accessToken: string): Promise<{ apiKey: string; email?: string }> {
  const url = `${IFLOW_USERINFO}?accessToken=${encodeURIComponent(accessToken)}`;
  const res = await callJson(ctx, 'iFlow API-key lookup', url);
  const data = (res.data ?? {}) as Record<string, unknown>;
  const apiKey = str(data.apiKey);
  if (res.success === false || !apiKey) throw new AuthError(`iFlow API-key lookup failed: ${str(res.message) ?? 'no apiKey in answer'}`, 'upstream_error');
  return { apiKey, email: str(data.email) ?? str(data.phone) };
}

/**
 * iFlow CLI's OAuth client (Basic client auth), as iFlow CLI and CLIProxyAPI
 * (`internal/auth/iflow/iflow_auth.go`) publish it; an installed app's secret is not confidential.
 * SWITCHYARD_IFLOW_CLIENT_SECRET overrides it.
 */
export const IFLOW_CLIENT_SECRET = '4Z3YjXycVsQvyGF1etiNlIBB4RsqSDtW';

export const iflowAuth: ProviderAuth = {
  id: 'iflow',
  displayName: 'iFlow',
  flow: 'auth-code',
  issuer: 'https://iflow.cn',
  authorizationEndpoint: 'https://iflow.cn/oauth',
  tokenEndpoint: 'https://iflow.cn/oauth/token',
  clientId: '10009311001',
  clientSecret: process.env.SWITCHYARD_IFLOW_CLIENT_SECRET || IFLOW_CLIENT_SECRET,
  clientSecretEnv: 'SWITCHYARD_IFLOW_CLIENT_SECRET',
  clientAuth: 'basic',
  scopes: [],
  redirectUri: 'http://localhost:11451/oauth2callback',
  redirectParamAlias: 'redirect',
  pkce: false,
  extraAuthParams: { loginMethod: 'phone', type: 'phone' },
  refreshLeadMs: 24 * 60 * 60_000,
  planNote: 'Note: iFlow ended its free tier in April 2026. Sign-in still works for accounts that keep access.',
  credentialOf: (rec: AuthRecord) => str(rec.api_key),
  async finish(t, ctx) {
    const { apiKey, email } = await fetchApiKey(ctx, t.access_token);
    return {
      label: email ?? 'iFlow account',
      fileKey: `${email ?? 'account'}-${ctx.now}`,
      record: {
        type: 'iflow',
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        last_refresh: new Date(ctx.now).toISOString(),
        expired: expiryIso(t.expires_in, ctx.now),
        api_key: apiKey,
        email: email ?? '',
        token_type: t.token_type,
        scope: t.scope ?? '',
      },
    };
  },
  async afterRefresh(rec, ctx) {
    // The key can rotate with the token; keep the stored one if the lookup fails.
    try {
      const { apiKey } = await fetchApiKey(ctx, String(rec.access_token));
      return { ...rec, api_key: apiKey };
    } catch {
      return rec;
    }
  },
};
