import type { Document } from 'yaml';
import { ContractError } from '../../../src-shared/contract';
import type { ApiKeyEntry, OpenAICompatEntry } from '../../../src-shared/config/schema';
import type { KeyEntryDetail, KeyEntryPatch } from '../../../src-shared/domain';
import { deleteIn, setIn } from './config-edit';
import { keyEntryId, toKeyEntry, type LocatedEntry } from './key-entries';
import { maskSecret } from './mappers';

type AnyEntry = ApiKeyEntry | OpenAICompatEntry;

/** Headers known to carry no credential; every other header value is shown masked, like the key. */
const PLAIN_HEADERS = new Set(['anthropic-beta', 'anthropic-version', 'openai-beta', 'user-agent', 'accept', 'accept-language', 'content-type', 'http-referer', 'referer', 'x-title']);

function isMasked(v: string): boolean {
  return v.includes('…');
}

function maskHeader(name: string, value: string): string {
  return PLAIN_HEADERS.has(name.toLowerCase()) ? value : maskSecret(value);
}

/** A proxy URL with its password replaced by `…` (user and host stay readable). */
export function maskProxyUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '…';
    return u.toString().replace('%E2%80%A6', '…');
  } catch {
    return isMasked(url) ? url : maskSecret(url);
  }
}

/** Where the first key of an entry lives (openai-compatibility has three spellings). */
function keyPath(l: LocatedEntry): Array<string | number> {
  const c = l.entry as OpenAICompatEntry;
  if (c['api-key'] || l.section !== 'openai-compatibility') return [l.section, l.index, 'api-key'];
  if (c['api-key-entries']?.length) return [l.section, l.index, 'api-key-entries', 0, 'api-key'];
  if (c['api-keys']?.length) return [l.section, l.index, 'api-keys', 0];
  return [l.section, l.index, 'api-key'];
}

function firstKey(e: AnyEntry): string {
  const c = e as OpenAICompatEntry;
  return e['api-key'] ?? c['api-key-entries']?.[0]?.['api-key'] ?? c['api-keys']?.[0] ?? '';
}

/** What the Keys page lists and edits: the entry plus its headers, proxy and exclusions, secrets masked. */
export function toKeyEntryDetail(l: LocatedEntry): KeyEntryDetail {
  const e = l.entry;
  const c = e as OpenAICompatEntry;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.headers ?? {})) headers[k] = maskHeader(k, v);
  const keyCount = c['api-key-entries'] || c['api-keys'] ? (e['api-key'] ? 1 : 0) + (c['api-key-entries']?.length ?? 0) + (c['api-keys']?.length ?? 0) : firstKey(e) ? 1 : 0;
  return {
    ...toKeyEntry(l),
    headers,
    proxyUrl: e['proxy-url'] ? maskProxyUrl(e['proxy-url']) : null,
    excludedModels: e['excluded-models'] ?? [],
    keyCount,
  };
}

/** A value sent back masked stands for the stored one; a masked value that matches nothing is refused. */
function unmasked(sent: string, stored: string | undefined, mask: (s: string) => string, what: string): string {
  if (!isMasked(sent)) return sent;
  if (stored !== undefined && mask(stored) === sent) return stored;
  throw new ContractError('bad-request', `${what} is masked ("${sent}") but matches nothing stored: type the full value`);
}

/**
 * The entry as it will be after the patch (plain object, to compute its new id and check for a
 * duplicate) and the YAML edits that make it so (comments and layout kept).
 */
export function planPatch(l: LocatedEntry, p: KeyEntryPatch): { next: AnyEntry; apply(doc: Document): void } {
  const compat = l.section === 'openai-compatibility';
  const next: Record<string, unknown> = structuredClone(l.entry) as Record<string, unknown>;
  const edits: Array<(doc: Document) => void> = [];
  const at = (...rest: Array<string | number>) => [l.section, l.index, ...rest];
  const put = (field: string, value: unknown) => {
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value && Object.keys(value).length === 0)) {
      delete next[field];
      edits.push((doc) => deleteIn(doc, at(field)));
    } else {
      next[field] = value;
      edits.push((doc) => setIn(doc, at(field), value));
    }
  };
  if (p.apiKey !== undefined) {
    const key = unmasked(p.apiKey, firstKey(l.entry), maskSecret, 'The key');
    if (key !== firstKey(l.entry)) {
      const path = keyPath(l);
      edits.push((doc) => setIn(doc, path, key));
      const c = next as OpenAICompatEntry;
      if (path.length === 3) next['api-key'] = key;
      else if (path[2] === 'api-key-entries') c['api-key-entries']![0] = { ...c['api-key-entries']![0], 'api-key': key };
      else c['api-keys']![0] = key;
    }
  }
  if (p.baseUrl !== undefined) {
    if (compat && p.baseUrl === null) throw new ContractError('bad-request', 'an OpenAI-compatible provider needs a base URL');
    put('base-url', p.baseUrl);
  }
  if (p.name !== undefined) {
    if (!compat) throw new ContractError('bad-request', 'only OpenAI-compatible providers have a name');
    put('name', p.name);
  }
  if (p.label !== undefined) put('label', p.label);
  if (p.prefix !== undefined) put('prefix', p.prefix);
  if (p.proxyUrl !== undefined) put('proxy-url', p.proxyUrl === null ? null : unmasked(p.proxyUrl, l.entry['proxy-url'], maskProxyUrl, 'The proxy URL'));
  if (p.headers !== undefined) {
    const stored = l.entry.headers ?? {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.headers ?? {})) out[k] = unmasked(v, stored[k], (s) => maskHeader(k, s), `Header ${k}`);
    put('headers', out);
  }
  if (p.models !== undefined) {
    // Fields the form does not show (fork, reasoning) survive on models that stay.
    const old = new Map((l.entry.models ?? []).map((m) => [`${m.name}\u0000${m.alias ?? ''}`, m]));
    put('models', (p.models ?? []).map((m) => ({ ...old.get(`${m.name}\u0000${m.alias ?? ''}`), name: m.name, ...(m.alias ? { alias: m.alias } : {}) })));
  }
  if (p.excludedModels !== undefined) put('excluded-models', p.excludedModels);
  return { next: next as AnyEntry, apply: (doc) => edits.forEach((e) => e(doc)) };
}

export function idAfter(l: LocatedEntry, next: AnyEntry): string {
  return keyEntryId(l.section, next);
}
