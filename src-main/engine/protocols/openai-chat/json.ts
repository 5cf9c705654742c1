import { z } from 'zod';
import { InvalidRequestError } from '../protocol';

/**
 * Small helpers shared by the two OpenAI codecs: safe JSON for untrusted text, data URLs, and
 * zod failures turned into a 400 that names the offending path.
 */

export { isRecord, safeJsonParse } from '../shared/json';

/** `data:<mime>;base64,<payload>` → parts; undefined for anything else (http URLs, file ids). */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!m) return undefined;
  return { mediaType: m[1] || 'application/octet-stream', data: m[2] };
}

export function toDataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

const EXT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
};

/** Media type of a remote URL from its extension; http images without one are usually JPEG. */
export function guessMediaType(url: string, fallback = 'image/jpeg'): string {
  const m = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url);
  return (m && EXT_TYPES[m[1].toLowerCase()]) || fallback;
}

/** Validate with zod; failures become InvalidRequestError with the JSON path of the first issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  throw new InvalidRequestError(`${path ? `${path}: ` : ''}${issue?.message ?? 'invalid value'}`, path || undefined);
}

const POISON = new Set(['__proto__', 'constructor', 'prototype']);

/** Copy of `source` without the listed keys (the rest rides in IR extensions). */
export function omitKeys(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) if (!keys.includes(k) && !POISON.has(k) && v !== undefined) out[k] = v;
  return out;
}

/**
 * Validate an upstream body. A bad upstream answer is not the client's fault, so this throws a
 * plain Error (a 5xx in the pipeline), never InvalidRequestError (a 400).
 */
export function parseUpstream<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new Error(`upstream sent an unreadable ${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}
