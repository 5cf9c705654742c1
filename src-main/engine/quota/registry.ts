import { providerList } from '../providers';
import type { QuotaSource } from './source';

/** Every provider that has quota knowledge: each folder's `quota` hook, read from the registry. */
export const quotaSources: Readonly<Partial<Record<string, QuotaSource>>> = Object.assign(
  Object.create(null) as Record<string, QuotaSource>,
  Object.fromEntries(providerList.flatMap((p) => (p.quota ? [[p.id, p.quota]] : []))),
);
