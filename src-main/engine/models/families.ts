import { providerList } from '../providers';
import type { ProviderId } from '../providers/provider';

/**
 * Model families: which providers may serve an id that no model list knows yet (a model
 * released after this build and after the last list refresh) — each folder's `modelFamilies`.
 * The upstream's own answer then decides whether it exists; a "no such model" answer fails over
 * like any other.
 */
export function familyProviders(id: string): readonly ProviderId[] {
  return providerList.filter((p) => p.modelFamilies?.some((re) => re.test(id))).map((p) => p.id);
}

export function inFamily(provider: ProviderId, id: string): boolean {
  return familyProviders(id).includes(provider);
}
