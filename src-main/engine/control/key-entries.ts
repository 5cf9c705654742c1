import type { ApiKeyEntry, OpenAICompatEntry, SwitchyardConfig } from '../../../src-shared/config/schema';
import type { KeyEntry, KeySection } from '../../../src-shared/domain';
import { providerList } from '../providers';
import { maskSecret, shortHash } from './mappers';

export const keySections: readonly KeySection[] = ['gemini-api-key', 'claude-api-key', 'codex-api-key', 'vertex-api-key', 'openai-compatibility'];

/** Key section ↔ the provider id its accounts get: each key provider folder's `configSection`. */
export const sectionProvider: Record<KeySection, string> = Object.fromEntries(
  providerList.flatMap((p) => (p.configSection ? [[p.configSection.section, p.id]] : [])),
) as Record<KeySection, string>;

export function sectionOf(provider: string): KeySection | null {
  return keySections.find((s) => sectionProvider[s] === provider) ?? null;
}

type AnyEntry = ApiKeyEntry | OpenAICompatEntry;

function firstKey(e: AnyEntry): string {
  const c = e as OpenAICompatEntry;
  return e['api-key'] ?? c['api-key-entries']?.[0]?.['api-key'] ?? c['api-keys']?.[0] ?? '';
}

/** Stable across reloads: what identifies the entry, hashed. */
export function keyEntryId(section: KeySection, e: AnyEntry): string {
  return `${section}:${shortHash(section, firstKey(e), e['base-url'], (e as OpenAICompatEntry).name)}`;
}

export interface LocatedEntry {
  section: KeySection;
  index: number;
  entry: AnyEntry;
  id: string;
}

export function listEntries(cfg: SwitchyardConfig, only?: KeySection): LocatedEntry[] {
  const out: LocatedEntry[] = [];
  for (const section of keySections) {
    if (only && section !== only) continue;
    (cfg[section] as AnyEntry[]).forEach((entry, index) => out.push({ section, index, entry, id: keyEntryId(section, entry) }));
  }
  return out;
}

export function findEntry(cfg: SwitchyardConfig, id: string): LocatedEntry | undefined {
  return listEntries(cfg).find((e) => e.id === id);
}

export function toKeyEntry(l: LocatedEntry): KeyEntry {
  const e = l.entry;
  const key = firstKey(e);
  return {
    id: l.id,
    section: l.section,
    name: (e as OpenAICompatEntry).name ?? null,
    label: e.label ?? null,
    maskedKey: key ? maskSecret(key) : '',
    baseUrl: e['base-url'] ?? null,
    prefix: e.prefix ?? null,
    models: (e.models ?? []).map((m) => ({ name: m.name, alias: m.alias ?? null })),
    disabled: e.disabled ?? false,
  };
}
