import { z } from 'zod';
import { epochMsSchema, idSchema, providerIdSchema } from './common';
import { accountStatusSchema } from './accounts';

export const reasoningLevels = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'auto'] as const;
export const reasoningLevelSchema = z.enum(reasoningLevels);
export type ReasoningLevel = z.infer<typeof reasoningLevelSchema>;

const modelName = z.string().trim().min(1).max(200).regex(/^[^\s]+$/, 'no spaces');

/**
 * A client-visible model name routed to one provider's upstream model. Stored in config as
 * `oauth-model-alias` (OAuth providers) or an entry's `models[]` (key entries); the reasoning
 * level becomes the thinking suffix `model(high)` and the prefix restricts to an account group.
 */
export const aliasSchema = z.object({
  id: idSchema,
  alias: z.string(),
  provider: providerIdSchema,
  upstreamModel: z.string(),
  prefix: z.string().nullable(),
  reasoning: reasoningLevelSchema.nullable(),
  /** Keep the upstream name visible too (CLIProxyAPI `fork`). */
  fork: z.boolean(),
  /** Key-entry aliases name the entry they live in. */
  entryId: z.string().nullable(),
});
export type Alias = z.infer<typeof aliasSchema>;

export const aliasInputSchema = z.strictObject({
  alias: modelName,
  provider: providerIdSchema,
  upstreamModel: modelName,
  prefix: z.string().trim().max(64).regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, . _ - only').nullable().default(null),
  reasoning: reasoningLevelSchema.nullable().default(null),
  fork: z.boolean().default(false),
  entryId: z.string().nullable().default(null),
});
export type AliasInput = z.infer<typeof aliasInputSchema>;

export const exclusionSchema = z.object({
  id: idSchema,
  provider: providerIdSchema,
  /** Model id or glob (`*-preview`). */
  pattern: z.string(),
  entryId: z.string().nullable(),
});
export type Exclusion = z.infer<typeof exclusionSchema>;

export const exclusionInputSchema = z.strictObject({
  provider: providerIdSchema,
  pattern: z.string().trim().min(1).max(200),
  entryId: z.string().nullable().default(null),
});

export const payloadRuleSchema = z.object({
  id: idSchema,
  /** default: set when absent; override: always set; filter: remove. */
  mode: z.enum(['default', 'override', 'filter']),
  models: z.array(z.object({ name: z.string(), protocol: z.string().nullable() })),
  /** JSON paths → values (default / override). */
  params: z.record(z.string(), z.unknown()),
  /** JSON paths to remove (filter). */
  paths: z.array(z.string()),
});
export type PayloadRule = z.infer<typeof payloadRuleSchema>;

export const payloadRuleInputSchema = z.strictObject({
  mode: z.enum(['default', 'override', 'filter']),
  models: z.array(z.strictObject({ name: z.string().min(1), protocol: z.string().nullable().default(null) })).min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  paths: z.array(z.string().min(1)).default([]),
});
export type PayloadRuleInput = z.infer<typeof payloadRuleInputSchema>;

export const mappingsSchema = z.object({
  aliases: z.array(aliasSchema),
  exclusions: z.array(exclusionSchema),
  payloadRules: z.array(payloadRuleSchema),
});
export type Mappings = z.infer<typeof mappingsSchema>;

/** How the engine would route a model name right now, candidates in the order they'd be tried. */
export const routePreviewSchema = z.object({
  model: z.string(),
  resolved: z.boolean(),
  /** Readable steps: "suffix (high) → reasoning high", "alias fast → claude-sonnet-4-5". */
  steps: z.array(z.string()),
  candidates: z.array(
    z.object({
      provider: providerIdSchema,
      accountId: z.string(),
      accountLabel: z.string(),
      upstreamModel: z.string(),
      reasoning: z.string().nullable(),
      status: accountStatusSchema,
      coolingUntil: epochMsSchema.nullable(),
    }),
  ),
  error: z.string().nullable(),
});
export type RoutePreview = z.infer<typeof routePreviewSchema>;

export const testPromptRequestSchema = z.strictObject({
  model: modelName,
  prompt: z.string().min(1).max(20_000),
  maxTokens: z.number().int().min(1).max(4096).default(256),
});

export const testPromptResultSchema = z.object({
  ok: z.boolean(),
  status: z.number().int(),
  text: z.string(),
  latencyMs: z.number(),
  provider: z.string().nullable(),
  accountLabel: z.string().nullable(),
  upstreamModel: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  error: z.string().nullable(),
});
export type TestPromptResult = z.infer<typeof testPromptResultSchema>;
