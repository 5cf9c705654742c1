import { z } from 'zod';
import { idSchema } from './common';
import { keyEntrySchema } from './accounts';

/**
 * Editing and testing one API-key entry (claude-api-key, gemini-api-key, codex-api-key,
 * vertex-api-key, openai-compatibility). Secrets cross only masked: a masked value sent back
 * (the key, a header value, a proxy URL with a password) keeps the stored secret.
 */

/** What the editor shows besides `KeyEntry`: header values and the proxy password masked. */
export const keyEntryExtrasSchema = z.object({
  headers: z.record(z.string(), z.string()),
  proxyUrl: z.string().nullable(),
  excludedModels: z.array(z.string()),
  /** Keys in the entry (openai-compatibility may hold several; the first is the one edited and tested). */
  keyCount: z.number().int().min(0),
});
export type KeyEntryExtras = z.infer<typeof keyEntryExtrasSchema>;

/** A key entry as the Keys page lists and edits it. */
export const keyEntryDetailSchema = keyEntrySchema.extend(keyEntryExtrasSchema.shape);
export type KeyEntryDetail = z.infer<typeof keyEntryDetailSchema>;

const headerName = z.string().trim().min(1).max(128).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name');

/** Absent = unchanged; null = remove the field. */
export const keyEntryPatchSchema = z.strictObject({
  apiKey: z.string().trim().min(1).max(4096).optional(),
  baseUrl: z.url().nullable().optional(),
  name: z.string().trim().min(1).max(64).optional(),
  label: z.string().trim().max(128).nullable().optional(),
  prefix: z.string().trim().max(64).regex(/^[A-Za-z0-9._-]*$/).nullable().optional(),
  proxyUrl: z.string().trim().max(2048).nullable().optional(),
  headers: z.record(headerName, z.string().max(8192)).nullable().optional(),
  models: z.array(z.strictObject({ name: z.string().trim().min(1).max(300), alias: z.string().trim().max(300).optional() })).max(500).nullable().optional(),
  excludedModels: z.array(z.string().trim().min(1).max(300)).max(500).nullable().optional(),
});
export type KeyEntryPatch = z.infer<typeof keyEntryPatchSchema>;

export const keyTestRequestSchema = z.strictObject({
  id: idSchema,
  /** Upstream model to ask; default: the entry's first model, else the provider's first default. */
  model: z.string().trim().min(1).max(300).optional(),
});

/** One tiny request (`max_tokens: 1`) sent through this entry alone, routing bypassed. */
export const keyTestResultSchema = z.object({
  ok: z.boolean(),
  /** Upstream HTTP status; 0 when no answer came (unreachable, timeout). */
  status: z.number().int(),
  latencyMs: z.number(),
  model: z.string(),
  /** The URL the request went to (after host overrides), for "which endpoint did it hit". */
  url: z.string(),
  /** The upstream's own message on failure (bounded), or why nothing was sent. */
  error: z.string().nullable(),
});
export type KeyTestResult = z.infer<typeof keyTestResultSchema>;
