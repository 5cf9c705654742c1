import { providerList } from '../providers';
import type { ProviderAuth } from './provider-auth';
import type { OAuthProviderId } from './types';

/**
 * Sign-in facts per OAuth provider: each folder's `auth` hook, read from the registry. Only
 * providers with a sign-in have an entry (null prototype: no inherited names answer).
 */
export const providerAuths: Readonly<Record<OAuthProviderId, ProviderAuth>> = Object.assign(
  Object.create(null) as Record<OAuthProviderId, ProviderAuth>,
  Object.fromEntries(providerList.flatMap((p) => (p.kind === 'oauth' && p.auth ? [[p.id, p.auth]] : []))),
);

/** Providers whose accounts come from a sign-in (ids used in the CLI, config and auth files), in registry order. */
export const OAUTH_PROVIDERS: readonly OAuthProviderId[] = Object.keys(providerAuths) as OAuthProviderId[];

export function isOAuthProvider(id: string): id is OAuthProviderId {
  return Object.prototype.hasOwnProperty.call(providerAuths, id);
}

export function authFor(id: OAuthProviderId): ProviderAuth {
  const auth = isOAuthProvider(id) ? providerAuths[id] : undefined;
  if (!auth) throw new Error(`"${id}" has no sign-in (it is not an OAuth provider)`);
  return auth;
}
