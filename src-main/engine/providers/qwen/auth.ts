import { expiryIso, jwtClaims, str } from '../../accounts/http';
import type { ProviderAuth } from '../../accounts/provider-auth';

/** Qwen Code's device flow with PKCE (PROTOCOLS.md §5.1). */
export const qwenAuth: ProviderAuth = {
  id: 'qwen',
  displayName: 'Qwen Code',
  flow: 'device',
  issuer: 'https://chat.qwen.ai',
  deviceAuthorizationEndpoint: 'https://chat.qwen.ai/api/v1/oauth2/device/code',
  tokenEndpoint: 'https://chat.qwen.ai/api/v1/oauth2/token',
  clientId: 'f0304373b74a44d2b584a3fb70ca9e56',
  clientAuth: 'none',
  scopes: ['openid', 'profile', 'email', 'model.completion'],
  pkce: true,
  refreshLeadMs: 20 * 60_000,
  planNote: 'Note: Qwen ended the free Qwen Code OAuth tier in April 2026. Sign-in still works for accounts that keep access.',
  async finish(t, ctx) {
    const email = str(jwtClaims(t.id_token).email);
    const resourceUrl = str(t.resource_url);
    const stamp = String(ctx.now);
    return {
      label: email ?? `Qwen ${new Date(ctx.now).toISOString().slice(0, 16).replace('T', ' ')}`,
      fileKey: email ?? stamp,
      record: {
        type: 'qwen',
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        last_refresh: new Date(ctx.now).toISOString(),
        resource_url: resourceUrl ?? '',
        email: email ?? '',
        expired: expiryIso(t.expires_in, ctx.now),
      },
      extra: { resource_url: resourceUrl },
    };
  },
};
