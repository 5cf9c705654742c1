import { expiryIso } from '../../accounts/http';
import type { ProviderAuth } from '../../accounts/provider-auth';
import { kimiDeviceId } from './identity';

/** Kimi Code's device flow (PROTOCOLS.md §5.1). The token carries no e-mail: accounts are named by time. */
export const kimiAuth: ProviderAuth = {
  id: 'kimi',
  displayName: 'Kimi',
  flow: 'device',
  issuer: 'https://auth.kimi.com',
  deviceAuthorizationEndpoint: 'https://auth.kimi.com/api/oauth/device_authorization',
  tokenEndpoint: 'https://auth.kimi.com/api/oauth/token',
  clientId: '17e5f671-d194-4dfb-9706-5516cb48c098',
  clientAuth: 'none',
  scopes: [],
  pkce: false,
  refreshLeadMs: 5 * 60_000,
  async finish(t, ctx) {
    return {
      label: `Kimi ${new Date(ctx.now).toISOString().slice(0, 16).replace('T', ' ')}`,
      fileKey: String(ctx.now),
      record: {
        type: 'kimi',
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        token_type: t.token_type,
        scope: t.scope ?? '',
        expired: expiryIso(t.expires_in, ctx.now),
        // The device this sign-in belongs to (CLIProxyAPI's kimi file layout); requests send it.
        device_id: kimiDeviceId(),
      },
    };
  },
};
