import { z } from 'zod';

/**
 * Lenient zod schemas for the Anthropic Messages wire format. Objects are loose (unknown keys
 * kept) because the API grows new fields often; a client sending one we do not know must not
 * be refused. Content blocks are validated per type in decode-request so the error can name
 * the offending path.
 */

export const cacheControlSchema = z.looseObject({ type: z.string() });

export const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

export const imageSourceSchema = z.union([
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.literal('text'), media_type: z.string().optional(), data: z.string() }),
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
  // `content` sources (documents made of blocks) and future kinds: accepted, not translated.
  z.looseObject({ type: z.string().refine((t) => !['base64', 'url', 'text', 'file'].includes(t)) }),
]);

export const imageBlockSchema = z.looseObject({ type: z.literal('image'), source: imageSourceSchema });
export const documentBlockSchema = z.looseObject({
  type: z.literal('document'),
  source: imageSourceSchema,
  title: z.string().nullish(),
});

export const toolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().optional(),
  name: z.string(),
  input: z.unknown().optional(),
});

export const toolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullish(),
  is_error: z.boolean().nullish(),
});

export const thinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().nullish(),
});

export const redactedThinkingBlockSchema = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });

/** Any block, type only; the per-type schemas above are applied where the block is read. */
export const anyBlockSchema = z.looseObject({ type: z.string() });
export type AnyBlock = z.infer<typeof anyBlockSchema>;

export const messageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(anyBlockSchema)]),
});

export const toolSchema = z.looseObject({
  name: z.string(),
  type: z.string().nullish(),
  description: z.string().nullish(),
  input_schema: z.record(z.string(), z.unknown()).nullish(),
});

export const toolChoiceSchema = z.looseObject({
  type: z.enum(['auto', 'any', 'tool', 'none']),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().optional(),
});

export const thinkingConfigSchema = z.looseObject({
  type: z.enum(['enabled', 'disabled', 'adaptive', 'auto']),
  budget_tokens: z.number().int().optional(),
});

export const requestSchema = z.looseObject({
  model: z.string().optional(),
  max_tokens: z.number().int().positive().optional(),
  messages: z.array(messageSchema),
  system: z.union([z.string(), z.array(anyBlockSchema)]).nullish(),
  stream: z.boolean().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  top_k: z.number().int().nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  thinking: thinkingConfigSchema.nullish(),
  output_config: z.looseObject({ effort: z.string().optional() }).nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
});
export type ClaudeRequest = z.infer<typeof requestSchema>;

export const usageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
export type ClaudeUsage = z.infer<typeof usageSchema>;

export const responseSchema = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  model: z.string().optional(),
  content: z.array(anyBlockSchema).default([]),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: usageSchema.nullish(),
});

export const errorBodySchema = z.looseObject({
  type: z.string().optional(),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }),
});

/** Stream events, each checked only for the fields the decoder reads. */
export const messageStartSchema = z.looseObject({
  message: z.looseObject({ id: z.string().optional(), model: z.string().optional(), usage: usageSchema.nullish() }),
});
export const blockStartSchema = z.looseObject({ index: z.number(), content_block: anyBlockSchema });
export const blockDeltaSchema = z.looseObject({
  index: z.number(),
  delta: z.looseObject({
    type: z.string(),
    text: z.string().optional(),
    thinking: z.string().optional(),
    signature: z.string().optional(),
    partial_json: z.string().optional(),
  }),
});
export const messageDeltaSchema = z.looseObject({
  delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }).nullish(),
  usage: usageSchema.nullish(),
});
