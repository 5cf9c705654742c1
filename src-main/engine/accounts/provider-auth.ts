import type * as oauth from 'oauth4webapi';
import type { HostOverrides } from '../upstream/host-overrides';
import type { AuthRecord, OAuthProviderId } from './types';

/** What a provider's sign-in finishing step may use (user info, project discovery, API-key fetch). */
export interface FlowContext {
  hostOverrides: HostOverrides;
  fetch: typeof fetch;
  now: number;
  /** Progress lines for the user (CLI prints them; the UI shows them). */
  say(line: string): void;
  /** The client secret the sign-in used (written into gemini auth files like Go oauth2 does). */
  clientSecret?: string;
  /** A project the user asked for (gemini-cli `--project`). */
  projectId?: string;
}

export interface SignInResult {
  record: AuthRecord;
  label: string;
  projectId?: string;
  extra?: Record<string, unknown>;
  /** What names the account file when the label is not a stable id (Kimi: the sign-in time). */
  fileKey?: string;
}

/**
 * One provider's sign-in facts (PROTOCOLS.md §5.1) and the code that turns a token response into
 * an account. Lives in `providers/<id>/auth.ts`; the runners in accounts/ do the generic OAuth work.
 */
export interface ProviderAuth {
  id: OAuthProviderId;
  displayName: string;
  /** Other names CLIProxyAPI's management endpoints use for this provider (`anthropic-auth-url`). */
  aliases?: readonly string[];
  flow: 'auth-code' | 'device';
  /** Issuer as the provider names itself (id_token `iss` is checked against it). */
  issuer: string;
  /** Endpoints come from `<issuer>/.well-known/openid-configuration` (xAI). */
  discovery?: boolean;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  deviceAuthorizationEndpoint?: string;
  clientId: string;
  /** Public "installed app" secrets where the provider's own CLI ships one. */
  clientSecret?: string;
  /** The environment variable that overrides `clientSecret` (named in the "missing secret" error). */
  clientSecretEnv?: string;
  clientAuth: 'none' | 'post' | 'basic';
  scopes: string[];
  /** `scope` sent with refresh grants (Codex asks for the narrower OpenID scopes); none when unset. */
  refreshScope?: string;
  /** Registered loopback redirect URI (auth-code flows). */
  redirectUri?: string;
  pkce: boolean;
  /** Extra authorize parameter that repeats the redirect URI (iFlow: `redirect`). */
  redirectParamAlias?: string;
  extraAuthParams?: Record<string, string>;
  /** Claude's token endpoint takes JSON (with `state`) rather than a form. */
  tokenRequestFormat?: 'form' | 'json';
  /** How CLIProxyAPI writes this provider's auth file, where it differs from the plain layout. */
  authFile?: {
    /** The file's `type` (default: the provider id). */
    type?: string;
    /** `google-oauth2`: Go oauth2 token nested under `token`, no `scope`; `timestamp`: `timestamp` + `expires_in` kept current. */
    layout?: 'google-oauth2' | 'timestamp';
    /** The account id names the project too (`gemini-<email>-<project>`). */
    idWithProject?: boolean;
  };
  /** Refresh this long before expiry. */
  refreshLeadMs: number;
  /** Plain note printed at sign-in when the consumer plan behind the provider changed. */
  planNote?: string;
  /** A second, device-style sign-in for hosts without a browser (Codex `--device`). */
  deviceAlternative?(auth: ProviderAuth, opts: import('./device-runner').DeviceFlowOptions): Promise<oauth.TokenEndpointResponse>;
  /** A provider whose device flow is not RFC 8628 (GitHub answers pending polls with 200) runs its own. */
  signInFlow?(opts: import('./device-runner').DeviceFlowOptions): Promise<oauth.TokenEndpointResponse>;
  /** A provider whose renewal is not a refresh-token grant (Copilot: a token exchange) does it here. */
  refreshGrant?(refreshToken: string, ctx: FlowContext): Promise<oauth.TokenEndpointResponse>;
  /** Build the stored record and label from a successful token response. */
  finish(tokens: oauth.TokenEndpointResponse, ctx: FlowContext): Promise<SignInResult>;
  /** The secret the upstream wants; default the access token (iFlow: its API key). */
  credentialOf?(record: AuthRecord): string | undefined;
  /**
   * The secret the provider's own account API (quota, profile) takes when it is not the request
   * credential (Copilot: api.github.com takes the GitHub token, not the Copilot token).
   */
  accountApiCredentialOf?(record: AuthRecord): string | undefined;
  /** Extra work after a refresh (iFlow fetches the API key again). */
  afterRefresh?(record: AuthRecord, ctx: FlowContext): Promise<AuthRecord>;
}
