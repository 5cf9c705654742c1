import { z } from 'zod';

/** What a model can do, as far as the catalog or the upstream's own list says. */
export const modelCapabilitiesSchema = z.object({
  tools: z.boolean().optional(),
  vision: z.boolean().optional(),
  reasoning: z.boolean().optional(),
});
export type ModelCapabilities = z.infer<typeof modelCapabilitiesSchema>;

/** One upstream model id with the facts known about it. */
export const modelInfoSchema = z.object({
  id: z.string().min(1).max(300),
  displayName: z.string().max(300).optional(),
  /** Input context window in tokens. */
  contextWindow: z.number().int().positive().optional(),
  /** Largest output (`max_tokens`) the model accepts. */
  maxOutputTokens: z.number().int().positive().optional(),
  capabilities: modelCapabilitiesSchema.optional(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/**
 * Where a listed model came from: the built-in catalog shipped with this release, the
 * upstream's own model list (fetched at sign-in / config load and periodically), or config
 * (`models` lists and aliases written by the user).
 */
export type ModelSource = 'catalog' | 'discovered' | 'config';

/** Strongest first: config beats discovered beats catalog when one id has several routes. */
export const SOURCE_RANK: Readonly<Record<ModelSource, number>> = { config: 3, discovered: 2, catalog: 1 };
