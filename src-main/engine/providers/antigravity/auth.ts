import { expiryIso } from '../../accounts/http';
import type { ProviderAuth } from '../../accounts/provider-auth';
import { GOOGLE_AUTHORIZE, GOOGLE_TOKEN } from '../gemini-cli/auth';
import { discoverProject, googleEmail } from '../gemini-cli/project-discovery';

export const ANTIGRAVITY_DAILY = 'https://daily-cloudcode-pa.googleapis.com';

/**
 * Antigravity's installed-application OAuth client, as the Antigravity app and CLIProxyAPI
 * (`internal/auth/antigravity/constants.go`) publish it. Not confidential by Google's definition of
 * installed apps (PKCE + loopback redirect protect the flow). SWITCHYARD_ANTIGRAVITY_CLIENT_SECRET
 * overrides it.
 */
export const ANTIGRAVITY_CLIENT_SECRET = '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';

export const antigravityAuth: ProviderAuth = {
  id: 'antigravity',
  displayName: 'Antigravity',
  flow: 'auth-code',
  issuer: 'https://accounts.google.com',
  authorizationEndpoint: GOOGLE_AUTHORIZE,
  tokenEndpoint: GOOGLE_TOKEN,
  clientId: '1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com',
  clientSecret: process.env.SWITCHYARD_ANTIGRAVITY_CLIENT_SECRET || ANTIGRAVITY_CLIENT_SECRET,
  clientSecretEnv: 'SWITCHYARD_ANTIGRAVITY_CLIENT_SECRET',
  // CLIProxyAPI's Antigravity files count expiry as `timestamp` + `expires_in`.
  authFile: { layout: 'timestamp' },
  clientAuth: 'post',
  scopes: [
    'https://www.googleapis.com/auth/cloud-platform',
    'https://www.googleapis.com/auth/userinfo.email',
    'https://www.googleapis.com/auth/userinfo.profile',
    'https://www.googleapis.com/auth/cclog',
    'https://www.googleapis.com/auth/experimentsandconfigs',
  ],
  redirectUri: 'http://localhost:51121/oauth-callback',
  pkce: true,
  extraAuthParams: { access_type: 'offline', prompt: 'consent' },
  refreshLeadMs: 5 * 60_000,
  async finish(t, ctx) {
    const email = await googleEmail(ctx, t.access_token);
    const { projectId } = await discoverProject(ctx, t.access_token, { ideType: 'ANTIGRAVITY', onboardBase: ANTIGRAVITY_DAILY, maxPolls: 5 });
    return {
      label: email ?? `Antigravity ${projectId}`,
      projectId,
      record: {
        type: 'antigravity',
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        expires_in: t.expires_in,
        timestamp: ctx.now,
        expired: expiryIso(t.expires_in, ctx.now),
        email: email ?? '',
        project_id: projectId,
      },
    };
  },
};
