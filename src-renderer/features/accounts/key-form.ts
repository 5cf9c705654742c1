import type { KeyEntryDetail, KeyEntryPatch } from '../../../src-shared/domain';

/** `upstream` or `upstream=alias` per line. */
export function parseModels(text: string): Array<{ name: string; alias?: string }> {
  return text
    .split(/\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, alias] = l.split('=').map((s) => s.trim());
      return alias ? { name, alias } : { name };
    });
}

export function formatModels(models: KeyEntryDetail['models']): string {
  return models.map((m) => (m.alias ? `${m.name}=${m.alias}` : m.name)).join('\n');
}

/** `Name: value` per line; a line without a colon is an error the form names. */
export function parseHeaders(text: string): { headers: Record<string, string>; bad: string | null } {
  const headers: Record<string, string> = Object.create(null);
  for (const raw of text.split(/\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const i = line.indexOf(':');
    if (i <= 0) return { headers, bad: line };
    headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return { headers, bad: null };
}

export function formatHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

export function lines(text: string): string[] {
  return text
    .split(/\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** What the edit form holds: every field as text, secrets as the masked values the server sent. */
export interface KeyFormValues {
  apiKey: string;
  name: string;
  baseUrl: string;
  label: string;
  prefix: string;
  proxyUrl: string;
  headers: string;
  models: string;
  excludedModels: string;
}

export function formValues(e: KeyEntryDetail): KeyFormValues {
  return {
    apiKey: e.maskedKey,
    name: e.name ?? '',
    baseUrl: e.baseUrl ?? '',
    label: e.label ?? '',
    prefix: e.prefix ?? '',
    proxyUrl: e.proxyUrl ?? '',
    headers: formatHeaders(e.headers),
    models: formatModels(e.models),
    excludedModels: e.excludedModels.join('\n'),
  };
}

/**
 * The whole form as a patch. Masked values go back unchanged (the server keeps the secret they
 * stand for); an emptied field is null (removed from config.yaml).
 */
export function toPatch(v: KeyFormValues, compat: boolean): { patch: KeyEntryPatch; badHeader: string | null } {
  const { headers, bad } = parseHeaders(v.headers);
  const patch: KeyEntryPatch = {
    apiKey: v.apiKey.trim(),
    baseUrl: v.baseUrl.trim() || null,
    label: v.label.trim() || null,
    prefix: v.prefix.trim() || null,
    proxyUrl: v.proxyUrl.trim() || null,
    headers,
    models: parseModels(v.models),
    excludedModels: lines(v.excludedModels),
  };
  if (compat) patch.name = v.name.trim();
  return { patch, badHeader: bad };
}
