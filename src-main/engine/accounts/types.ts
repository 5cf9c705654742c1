import type { ProviderId } from '../providers/provider';

/**
 * A provider whose accounts come from a sign-in: one whose folder declares an auth flow. The list
 * itself (`OAUTH_PROVIDERS`, `isOAuthProvider`) is read from the registry in `auths.ts`; this file
 * stays free of runtime imports because provider folders import it (no import cycle at load).
 */
export type OAuthProviderId = ProviderId;

/**
 * The secret of one account: the CLIProxyAPI auth-file JSON object, kept whole so unknown fields
 * survive a read/refresh/write round trip and files stay loadable by CLIProxyAPI.
 */
export type AuthRecord = Record<string, unknown>;

/** The token facts the cache needs, read out of an AuthRecord. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch ms; undefined = unknown (treated as valid until a 401 says otherwise). */
  expiresAt?: number;
  tokenType?: string;
  scope?: string;
}

export type AccountStatus = 'active' | 'needs-login' | 'disabled';

/** What `accounts --json` and the UI see: never a secret. */
export interface AccountView {
  id: string;
  provider: OAuthProviderId;
  label: string;
  status: AccountStatus;
  /** ISO time the access token expires, if known. */
  expiresAt: string | null;
  /** Why the account needs a new sign-in. */
  reason?: string;
}

export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

/** A sign-in or refresh failure with the provider's own error text. */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly code: string = 'auth_failed',
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
