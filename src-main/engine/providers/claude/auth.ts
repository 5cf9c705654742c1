import { callJson, expiryIso, str } from '../../accounts/http';
import type { ProviderAuth } from '../../accounts/provider-auth';

export const CLAUDE_AUTHORIZE = 'https://claude.ai/oauth/authorize';
export const CLAUDE_TOKEN = 'https://platform.claude.com/v1/oauth/token';
export const CLAUDE_PROFILE = 'https://api.anthropic.com/api/oauth/profile';

/** Claude Code's public OAuth client (PROTOCOLS.md §5.1). */
export const claudeAuth: ProviderAuth = {
  id: 'claude',
  displayName: 'Claude',
  // CLIProxyAPI's management API names this sign-in `anthropic-auth-url`.
  aliases: ['anthropic'],
  flow: 'auth-code',
  issuer: 'https://claude.ai',
  authorizationEndpoint: CLAUDE_AUTHORIZE,
  tokenEndpoint: CLAUDE_TOKEN,
  clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
  clientAuth: 'none',
  scopes: ['user:profile', 'user:inference', 'user:sessions:claude_code', 'user:mcp_servers', 'user:file_upload'],
  redirectUri: 'http://localhost:54545/callback',
  pkce: true,
  extraAuthParams: { code: 'true' },
  tokenRequestFormat: 'json',
  refreshLeadMs: 4 * 60 * 60_000,
  async finish(t, ctx) {
    // The token response names the account; older answers did not, so fall back to the profile.
    const account = (t.account ?? {}) as Record<string, unknown>;
    const org = (t.organization ?? {}) as Record<string, unknown>;
    let email = str(account.email_address) ?? str(account.email);
    let accountUuid = str(account.uuid);
    if (!email) {
      const profile = await callJson(ctx, 'Claude profile lookup', CLAUDE_PROFILE, {
        token: t.access_token,
        headers: { 'anthropic-beta': 'oauth-2025-04-20' },
      });
      const acc = (profile.account ?? {}) as Record<string, unknown>;
      email = str(acc.email) ?? str(acc.email_address);
      accountUuid ??= str(acc.uuid);
    }
    const label = email ?? `Claude ${accountUuid ?? new Date(ctx.now).toISOString()}`;
    return {
      label,
      record: {
        type: 'claude',
        ...(t.id_token ? { id_token: t.id_token } : {}),
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        last_refresh: new Date(ctx.now).toISOString(),
        email: email ?? '',
        account_uuid: accountUuid ?? '',
        organization_uuid: str(org.uuid) ?? '',
        organization_name: str(org.name) ?? '',
        expired: expiryIso(t.expires_in, ctx.now),
      },
      extra: { account_uuid: accountUuid, organization_uuid: str(org.uuid) },
    };
  },
};
