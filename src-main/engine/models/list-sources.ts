import { providerList } from '../providers';
import type { ProviderId } from '../providers/provider';
import type { ModelListSource } from './list-source';

export type { ModelListRequest, ModelListSource } from './list-source';

/** Each provider folder's `modelList` hook, by provider id (read from the registry). */
export const modelListSources: Partial<Record<ProviderId, ModelListSource>> = Object.fromEntries(
  providerList.flatMap((p) => (p.modelList ? [[p.id, p.modelList]] : [])),
);
