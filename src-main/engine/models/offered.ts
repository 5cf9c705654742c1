import type { Account, ProviderId } from '../providers/provider';
import { builtinInfo } from './builtin-catalog';
import type { DiscoveredList } from './discovery';
import type { ModelInfo, ModelSource } from './types';

export interface OfferedModel {
  id: string;
  source: ModelSource;
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities?: ModelInfo['capabilities'];
}

/**
 * The models the UI offers for one provider (mapping wizard, provider cards): what the provider's
 * accounts discovered from their upstream first, then the built-in catalog, each with its source.
 */
export function offeredModels(
  engine: { accounts(): readonly Account[]; models: { listFor(id: string): DiscoveredList | undefined } },
  provider: ProviderId,
  catalog: readonly string[],
): { defaultModels: string[]; models: OfferedModel[] } {
  const out = new Map<string, OfferedModel>();
  const add = (info: ModelInfo, source: ModelSource) => {
    if (out.has(info.id)) return;
    const m: OfferedModel = { id: info.id, source };
    if (info.contextWindow) m.contextWindow = info.contextWindow;
    if (info.maxOutputTokens) m.maxOutputTokens = info.maxOutputTokens;
    if (info.capabilities) m.capabilities = info.capabilities;
    out.set(info.id, m);
  };
  for (const a of engine.accounts()) {
    if (a.provider !== provider) continue;
    for (const info of engine.models.listFor(a.id)?.models ?? []) add({ ...builtinInfo(provider, info.id), ...info }, 'discovered');
  }
  for (const id of catalog) add(builtinInfo(provider, id) ?? { id }, 'catalog');
  const models = [...out.values()];
  return { defaultModels: models.map((m) => m.id), models };
}
