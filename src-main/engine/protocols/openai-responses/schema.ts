import { z } from 'zod';

/**
 * Lenient zod schemas for the OpenAI Responses API (also what the Codex backend speaks). Loose
 * objects keep unknown keys: the API adds item and event kinds often. Input items are checked
 * per type where they are read so an error can name the item's path.
 */

export const partSchema = z.looseObject({ type: z.string() });

export const textPartSchema = z.looseObject({ type: z.string(), text: z.string() });
export const imagePartSchema = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
});
export const filePartSchema = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
  file_id: z.string().nullish(),
});

export const messageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(partSchema)]).nullish(),
});

export const functionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  id: z.string().nullish(),
  call_id: z.string().nullish(),
  name: z.string(),
  arguments: z.string().nullish(),
});

export const customToolCallItemSchema = z.looseObject({
  type: z.literal('custom_tool_call'),
  id: z.string().nullish(),
  call_id: z.string().nullish(),
  name: z.string(),
  input: z.string().nullish(),
});

export const functionCallOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string(),
  output: z.union([z.string(), z.array(partSchema)]).nullish(),
});

const summaryPartSchema = z.looseObject({ type: z.string().optional(), text: z.string() });

export const reasoningItemSchema = z.looseObject({
  type: z.literal('reasoning'),
  id: z.string().nullish(),
  summary: z.array(summaryPartSchema).nullish(),
  content: z.array(summaryPartSchema).nullish(),
  encrypted_content: z.string().nullish(),
});

export const inputItemSchema = z.looseObject({ type: z.string().optional(), role: z.string().optional() });
export type InputItem = z.infer<typeof inputItemSchema>;

export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: z.string(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const textFormatSchema = z.looseObject({
  type: z.enum(['text', 'json_object', 'json_schema']),
  name: z.string().nullish(),
  schema: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const requestSchema = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(inputItemSchema)]).nullish(),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string(), name: z.string().nullish() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  text: z.looseObject({ format: textFormatSchema.nullish(), verbosity: z.string().nullish() }).nullish(),
  user: z.string().nullish(),
});
export type ResponsesRequest = z.infer<typeof requestSchema>;

export const usageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});
export type ResponsesUsage = z.infer<typeof usageSchema>;

export const errorObjectSchema = z.looseObject({
  message: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
  type: z.string().nullish(),
});

export const responseObjectSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  created_at: z.number().nullish(),
  status: z.string().nullish(),
  output: z.array(z.looseObject({ type: z.string() })).nullish(),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  error: errorObjectSchema.nullish(),
  usage: usageSchema.nullish(),
});
export type ResponseObject = z.infer<typeof responseObjectSchema>;

export const outputMessageSchema = z.looseObject({
  type: z.literal('message'),
  content: z.array(partSchema).nullish(),
});

export const imageGenerationCallSchema = z.looseObject({
  type: z.literal('image_generation_call'),
  result: z.string().nullish(),
  output_format: z.string().nullish(),
});
