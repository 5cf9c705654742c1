import type { Account, ProviderId } from '../../../src-main/engine/providers/provider';

/** A signed-in account as the registry would hand it to the quota code. */
export function oauthAccount(provider: ProviderId, id: string, meta: Record<string, unknown> = {}): Account {
  return { id, provider, kind: 'oauth', label: `${id}@example.com`, order: 0, priority: 0, weight: 1, disabled: false, meta };
}
