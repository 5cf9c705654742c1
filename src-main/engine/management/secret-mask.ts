import { isScalar, isSeq, parseDocument, visit } from 'yaml';
import { maskSecret } from '../control/mappers';

/**
 * Secrets in config answers of the management API are masked by default (`sk-…a1b2`); the
 * plaintext is sent only when the caller asks with `?reveal=true` (CLIProxyAPI's panel reads
 * keys back that way). A masked value sent back in a write (a panel that saves what it read) is
 * restored to the secret it stands for, or refused when it is ambiguous — never stored as is.
 */

/** Keys whose string value is a secret, and keys whose list items are. */
const SECRET_FIELDS = new Set(['api-key', 'secret-key']);
const SECRET_LISTS = new Set(['api-keys']);

export class MaskedValueError extends Error {
  constructor(masked: string) {
    super(`"${masked}" is a masked secret that matches no single configured secret; send the full value (read it with ?reveal=true)`);
    this.name = 'MaskedValueError';
  }
}

export function wantsReveal(query: Record<string, unknown>): boolean {
  const v = query.reveal;
  return v === 'true' || v === '1' || v === 'yes';
}

export function isMasked(v: string): boolean {
  return v.includes('…');
}

/** Walk a JSON value, replacing every secret position through `f` (returns a copy). */
function mapSecrets(value: unknown, f: (secret: string) => string, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && SECRET_FIELDS.has(key) ? f(value) : value;
  if (Array.isArray(value)) {
    const listed = key !== undefined && SECRET_LISTS.has(key);
    return value.map((v) => (listed && typeof v === 'string' ? f(v) : mapSecrets(v, f)));
  }
  if (value && typeof value === 'object') {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = mapSecrets(v, f, k);
    return out;
  }
  return value;
}

/** A copy of a config value (the whole config, a list, an entry) with every secret masked. */
export function maskSecrets<T>(value: T, key?: string): T {
  return mapSecrets(value, maskSecret, key) as T;
}

/** The secrets of the current config by their masked form, to restore masked values sent back. */
export function secretPool(current: unknown): Map<string, Set<string>> {
  const pool = new Map<string, Set<string>>();
  mapSecrets(current, (s) => {
    const m = maskSecret(s);
    pool.set(m, (pool.get(m) ?? new Set()).add(s));
    return s;
  });
  return pool;
}

function restore(value: string, pool: Map<string, Set<string>>): string {
  if (!isMasked(value)) return value;
  const hits = pool.get(value);
  if (!hits || hits.size !== 1) throw new MaskedValueError(value);
  return [...hits][0];
}

/** Put the real secrets back where a write carries masked ones. Throws MaskedValueError. */
export function unmaskSecrets<T>(value: T, pool: Map<string, Set<string>>, key?: string): T {
  return mapSecrets(value, (s) => restore(s, pool), key) as T;
}

/** Raw config.yaml with secret values masked; comments and layout kept. */
export function maskYaml(text: string): string {
  return editYamlSecrets(text, maskSecret);
}

/** Raw config.yaml with masked secret values restored. Throws MaskedValueError. */
export function unmaskYaml(text: string, pool: Map<string, Set<string>>): string {
  if (!isMasked(text)) return text;
  return editYamlSecrets(text, (s) => restore(s, pool));
}

function editYamlSecrets(text: string, f: (s: string) => string): string {
  const doc = parseDocument(text);
  if (doc.errors.length) return text;
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') return;
      const k = pair.key.value;
      if (SECRET_FIELDS.has(k) && isScalar(pair.value) && typeof pair.value.value === 'string') pair.value.value = f(pair.value.value);
      if (SECRET_LISTS.has(k) && isSeq(pair.value)) {
        for (const item of pair.value.items) if (isScalar(item) && typeof item.value === 'string') item.value = f(item.value);
      }
    },
  });
  return doc.toString();
}
