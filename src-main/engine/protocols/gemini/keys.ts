import { isRecord } from './json';

/**
 * Google's JSON APIs accept both `inline_data` and `inlineData`. Clients (curl examples, older
 * SDKs) send snake_case, so requests are normalised to camelCase before validation. Values that
 * belong to the user (function arguments, tool results, JSON schemas, labels) are copied as they
 * are: their keys are data, not API field names.
 */
const OPAQUE = new Set([
  'args',
  'response',
  'parameters',
  'parametersJsonSchema',
  'responseSchema',
  'responseJsonSchema',
  'labels',
  'metadata',
]);

export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.includes('_') ? k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : k;
    // When both spellings are present, the camelCase one (the canonical name) wins.
    if (key !== k && key in value) continue;
    out[key] = OPAQUE.has(key) ? v : camelizeKeys(v);
  }
  return out;
}
