import { expiryIso, jwtClaims, str } from '../../accounts/http';
import type { ProviderAuth } from '../../accounts/provider-auth';
import { runCodexDeviceFlow } from './device';

/** Claims OpenAI puts under this key in the id_token (account id, plan). */
export const OPENAI_AUTH_CLAIM = 'https://api.openai.com/auth';

/** The Codex CLI's public OAuth client (PROTOCOLS.md §5.1). */
export const codexAuth: ProviderAuth = {
  id: 'codex',
  displayName: 'Codex (ChatGPT)',
  flow: 'auth-code',
  issuer: 'https://auth.openai.com',
  authorizationEndpoint: 'https://auth.openai.com/oauth/authorize',
  tokenEndpoint: 'https://auth.openai.com/oauth/token',
  clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
  clientAuth: 'none',
  scopes: ['openid', 'email', 'profile', 'offline_access'],
  refreshScope: 'openid profile email',
  redirectUri: 'http://localhost:1455/auth/callback',
  pkce: true,
  extraAuthParams: { prompt: 'login', id_token_add_organizations: 'true', codex_cli_simplified_flow: 'true' },
  refreshLeadMs: 5 * 24 * 60 * 60_000,
  deviceAlternative: runCodexDeviceFlow,
  async finish(t, ctx) {
    const claims = jwtClaims(t.id_token);
    const openai = (claims[OPENAI_AUTH_CLAIM] ?? {}) as Record<string, unknown>;
    const email = str(claims.email);
    const accountId = str(openai.chatgpt_account_id);
    const plan = str(openai.chatgpt_plan_type);
    return {
      label: email ?? `ChatGPT ${accountId ?? ''}`.trim(),
      record: {
        type: 'codex',
        id_token: t.id_token ?? '',
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        account_id: accountId ?? '',
        last_refresh: new Date(ctx.now).toISOString(),
        email: email ?? '',
        expired: expiryIso(t.expires_in, ctx.now),
      },
      extra: { account_id: accountId, plan_type: plan },
    };
  },
};
