import { expiryIso, jwtClaims, str } from '../../accounts/http';
import type { ProviderAuth } from '../../accounts/provider-auth';

/** Grok CLI's device flow; endpoints come from OIDC discovery at auth.x.ai. */
export const xaiAuth: ProviderAuth = {
  id: 'xai',
  displayName: 'xAI (Grok)',
  flow: 'device',
  issuer: 'https://auth.x.ai',
  discovery: true,
  clientId: 'b1a00492-073a-47ea-816f-4c329264a828',
  clientAuth: 'none',
  scopes: ['openid', 'profile', 'email', 'offline_access', 'grok-cli:access', 'api:access'],
  pkce: false,
  refreshLeadMs: 5 * 60_000,
  async finish(t, ctx) {
    const claims = jwtClaims(t.id_token);
    const email = str(claims.email);
    return {
      label: email ?? `xAI ${str(claims.sub) ?? ctx.now}`,
      fileKey: email ?? String(ctx.now),
      record: {
        type: 'xai',
        ...(t.id_token ? { id_token: t.id_token } : {}),
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        last_refresh: new Date(ctx.now).toISOString(),
        email: email ?? '',
        expired: expiryIso(t.expires_in, ctx.now),
      },
    };
  },
};
