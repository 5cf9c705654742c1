import { providerList, providers } from '../providers';
import type { ProviderId } from '../providers/provider';
import type { ModelInfo } from './types';

/**
 * Models each provider serves when an account lists none and its upstream's own model list has
 * not been read yet (or the upstream has none) — each provider folder's `catalog`, collected
 * from the registry. Discovery (`discovery.ts`) replaces these with what the upstream says;
 * family routing (`routing/model-catalog.ts`) covers ids released after the lists were written.
 */
export const BUILTIN_CATALOG: Readonly<Record<ProviderId, readonly ModelInfo[]>> = Object.fromEntries(
  providerList.map((p) => [p.id, p.catalog]),
) as Record<ProviderId, readonly ModelInfo[]>;

/** Built-in ids of one provider (what `ProviderDescriptor.defaultModels` shows). */
export function builtinIds(provider: ProviderId): string[] {
  return providers[provider].catalog.map((x) => x.id);
}

/** Facts the catalog knows about an upstream id, from this provider first, then any provider. */
export function builtinInfo(provider: ProviderId, id: string): ModelInfo | undefined {
  const own = providers[provider].catalog.find((x) => x.id === id);
  if (own) return own;
  for (const p of providerList) {
    const hit = p.catalog.find((x) => x.id === id);
    if (hit) return hit;
  }
  return undefined;
}
