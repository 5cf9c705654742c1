import { z } from 'zod';

/**
 * Lenient zod schemas for Ollama's native API (`docs/api.md`, `api/types.go`). Objects are loose:
 * Ollama adds fields often (keep_alive, think, logprobs…) and an unknown one must not be refused.
 */

/** `options` (api.Options): only the sampling fields with a neutral meaning are read. */
export const optionsSchema = z.looseObject({
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  top_k: z.number().int().nullish(),
  /** Max tokens to generate; -1 = unbounded, -2 = fill the context. */
  num_predict: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
});

/** `format`: `"json"` or a JSON Schema object. */
export const formatSchema = z.union([z.literal('json'), z.literal(''), z.record(z.string(), z.unknown())]).nullish();

/** `think`: true/false, or a level for models that take one ("low", "medium", "high"). */
export const thinkSchema = z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]).nullish();

export const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  function: z.looseObject({
    index: z.number().int().nullish(),
    name: z.string().min(1),
    // Ollama sends an object; accept JSON text too (OpenAI-minded clients).
    arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
  }),
});

export const messageSchema = z.looseObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().nullish(),
  thinking: z.string().nullish(),
  images: z.array(z.string()).nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  /** Name of the tool whose result this `tool` message carries. */
  tool_name: z.string().nullish(),
  tool_call_id: z.string().nullish(),
});

export const toolSchema = z.looseObject({
  type: z.string().nullish(),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
  }),
});

const common = {
  model: z.string().min(1),
  stream: z.boolean().nullish(),
  format: formatSchema,
  options: optionsSchema.nullish(),
  think: thinkSchema,
  keep_alive: z.union([z.string(), z.number()]).nullish(),
};

/** `POST /api/chat` (api.ChatRequest). */
export const chatRequestSchema = z.looseObject({
  ...common,
  messages: z.array(messageSchema).nullish(),
  tools: z.array(toolSchema).nullish(),
});

/** `POST /api/generate` (api.GenerateRequest). */
export const generateRequestSchema = z.looseObject({
  ...common,
  prompt: z.string().nullish(),
  suffix: z.string().nullish(),
  system: z.string().nullish(),
  images: z.array(z.string()).nullish(),
  raw: z.boolean().nullish(),
});

export type OllamaChatRequest = z.infer<typeof chatRequestSchema>;
export type OllamaGenerateRequest = z.infer<typeof generateRequestSchema>;
export type OllamaMessage = z.infer<typeof messageSchema>;
export type OllamaOptions = z.infer<typeof optionsSchema>;
