import { expiryIso } from '../../accounts/http';
import type { ProviderAuth } from '../../accounts/provider-auth';
import { discoverProject, googleEmail } from './project-discovery';

export const GOOGLE_AUTHORIZE = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN = 'https://oauth2.googleapis.com/token';

/**
 * Gemini CLI's installed-application OAuth client, as published in Google's open-source gemini-cli
 * (`packages/core/src/code_assist/oauth2.ts`). Google's token endpoint wants the secret even with
 * PKCE, and by Google's own definition an installed app's secret is not confidential: the loopback
 * redirect and PKCE protect the flow. SWITCHYARD_GEMINI_CLI_CLIENT_SECRET overrides it.
 */
export const GEMINI_CLI_CLIENT_SECRET = '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';

export const geminiCliAuth: ProviderAuth = {
  id: 'gemini-cli',
  displayName: 'Gemini CLI (Code Assist)',
  flow: 'auth-code',
  issuer: 'https://accounts.google.com',
  authorizationEndpoint: GOOGLE_AUTHORIZE,
  tokenEndpoint: GOOGLE_TOKEN,
  clientId: '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com',
  clientSecret: process.env.SWITCHYARD_GEMINI_CLI_CLIENT_SECRET || GEMINI_CLI_CLIENT_SECRET,
  clientSecretEnv: 'SWITCHYARD_GEMINI_CLI_CLIENT_SECRET',
  // CLIProxyAPI files: `type: gemini`, the Go oauth2 token nested, one file per project.
  authFile: { type: 'gemini', layout: 'google-oauth2', idWithProject: true },
  clientAuth: 'post',
  scopes: [
    'https://www.googleapis.com/auth/cloud-platform',
    'https://www.googleapis.com/auth/userinfo.email',
    'https://www.googleapis.com/auth/userinfo.profile',
  ],
  redirectUri: 'http://localhost:8085/oauth2callback',
  pkce: true,
  extraAuthParams: { access_type: 'offline', prompt: 'consent' },
  refreshLeadMs: 5 * 60_000,
  planNote:
    'Note: Google closed the free / Google One path of Gemini CLI on 2026-06-18. Sign-in still works for Google accounts with a paid Gemini Code Assist (Standard or Enterprise) project.',
  async finish(t, ctx) {
    const email = await googleEmail(ctx, t.access_token);
    const { projectId, tierId } = await discoverProject(ctx, t.access_token, { ideType: 'IDE_UNSPECIFIED', requestedProject: ctx.projectId });
    const expiry = expiryIso(t.expires_in, ctx.now);
    return {
      label: email ?? `Google ${projectId}`,
      projectId,
      record: {
        type: 'gemini',
        token: {
          access_token: t.access_token,
          refresh_token: t.refresh_token,
          token_type: 'Bearer',
          expiry,
          token_uri: GOOGLE_TOKEN,
          client_id: geminiCliAuth.clientId,
          // Go oauth2 keeps the secret beside the token; CLIProxyAPI needs it to refresh.
          ...(ctx.clientSecret ? { client_secret: ctx.clientSecret } : {}),
          scopes: geminiCliAuth.scopes,
          universe_domain: 'googleapis.com',
        },
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        expiry,
        expired: expiry,
        project_id: projectId,
        email: email ?? '',
        auto: !ctx.projectId,
        checked: true,
      },
      extra: { tier_id: tierId },
    };
  },
};
