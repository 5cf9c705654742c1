import type { ModelInfo, ModelSource } from '../models/types';
import type { ListedModel } from '../protocols';
import { providers } from '../providers';

/** `owned_by` as each provider folder declares it (`owner`), else the provider id. */
const ownerOf = (id: string): string => (id in providers ? providers[id as keyof typeof providers].owner : undefined) ?? id;

/**
 * One listed model. `source` and `info` come from the routing layer's model catalog (where the id
 * came from: built-in catalog, the upstream's own list, or config; context window and capability
 * flags); lists built elsewhere may leave them out.
 */
export interface RenderableModel {
  id: string;
  provider: string;
  source?: ModelSource;
  info?: ModelInfo;
}

/** The served models as the wire formats' list renderers read them (owner names resolved here). */
export function listedModels(models: readonly RenderableModel[]): ListedModel[] {
  return models.map((m) => ({ id: m.id, provider: m.provider, ownedBy: ownerOf(m.provider), source: m.source, info: m.info }));
}
