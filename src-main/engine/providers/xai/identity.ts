/**
 * The Grok CLI's client headers: the CLI proxy and api.x.ai tell a Grok CLI sign-in token
 * (`x-xai-token-auth: xai-grok-cli`) from an API key by them, and version-gate requests on
 * `x-grok-client-version`. The quota poller (`quota.ts`) sends the same set.
 */
export const GROK_CLIENT_VERSION = '0.1.0';

export function xaiIdentityHeaders(userId?: string): Record<string, string> {
  const h: Record<string, string> = {
    'x-xai-token-auth': 'xai-grok-cli',
    'x-grok-client-version': GROK_CLIENT_VERSION,
  };
  if (userId) h['x-userid'] = userId;
  return h;
}

/** The user id the sign-in stored (`userId` / `user_id`), if any. */
export function xaiUserId(meta: Record<string, unknown>): string | undefined {
  const v = meta.userId ?? meta.user_id;
  return typeof v === 'string' && v ? v : undefined;
}
