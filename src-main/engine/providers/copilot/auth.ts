import { callJson, expiryIso, str } from '../../accounts/http';
import type { ProviderAuth } from '../../accounts/provider-auth';
import { exchangeForCopilotToken, githubDeviceSignIn } from './github';
import { GITHUB_API, GITHUB_CLIENT_ID, GITHUB_ORIGIN, githubApiHeaders } from './identity';

/**
 * GitHub Copilot sign-in: GitHub's device flow with the editors' public client id, then the
 * GitHub token is exchanged for a Copilot token. The stored record keeps the Copilot token as
 * the access token and the GitHub token as the refresh token; a "refresh" is a new exchange.
 */
export const copilotAuth: ProviderAuth = {
  id: 'copilot',
  displayName: 'GitHub Copilot',
  flow: 'device',
  issuer: GITHUB_ORIGIN,
  deviceAuthorizationEndpoint: `${GITHUB_ORIGIN}/login/device/code`,
  tokenEndpoint: `${GITHUB_ORIGIN}/login/oauth/access_token`,
  clientId: GITHUB_CLIENT_ID,
  clientAuth: 'none',
  scopes: ['read:user'],
  pkce: false,
  // Copilot tokens live ~30 min and the editors renew them after `refresh_in` (~25 min).
  refreshLeadMs: 2 * 60_000,
  async signInFlow(opts) {
    const githubToken = await githubDeviceSignIn(opts);
    return exchangeForCopilotToken(githubToken, opts.hostOverrides, opts.fetch ?? fetch);
  },
  // api.github.com (the premium-request allowance) takes the GitHub token, never the Copilot token.
  accountApiCredentialOf: (record) => (typeof record.refresh_token === 'string' && record.refresh_token ? record.refresh_token : undefined),
  refreshGrant: (githubToken, ctx) => exchangeForCopilotToken(githubToken, ctx.hostOverrides, ctx.fetch, ctx.now),
  async finish(t, ctx) {
    const githubToken = t.refresh_token ?? '';
    const user = await callJson(ctx, 'GitHub user lookup', `${GITHUB_API}/user`, { headers: githubApiHeaders(githubToken) });
    const login = str(user.login) ?? 'github-user';
    const api = typeof t.copilot_api === 'string' ? t.copilot_api : undefined;
    return {
      label: login,
      ...(api ? { extra: { copilot_api: api } } : {}),
      record: {
        type: 'copilot',
        access_token: t.access_token,
        refresh_token: githubToken,
        token_type: 'Bearer',
        login,
        ...(typeof t.copilot_api === 'string' ? { copilot_api: t.copilot_api } : {}),
        expired: expiryIso(t.expires_in, ctx.now),
      },
    };
  },
};
