import { z } from 'zod';

/** OpenAI rejects more than this many inputs in one call; we do the same before any upstream sees it. */
export const MAX_EMBEDDING_INPUTS = 2048;

const tokenArray = z.array(z.number().int().min(0)).min(1, 'a token array must not be empty');

/** POST /v1/embeddings body (unknown fields are kept so passthrough upstreams still see them). */
export const openaiEmbeddingsRequestSchema = z.looseObject({
  model: z.string().trim().min(1, 'the "model" field is required'),
  input: z.union([
    z.string().min(1, 'input must not be an empty string'),
    z
      .array(z.string().min(1, 'input items must not be empty strings'))
      .min(1, 'input must not be an empty array')
      .max(MAX_EMBEDDING_INPUTS, `input must have at most ${MAX_EMBEDDING_INPUTS} items`),
    tokenArray,
    z
      .array(tokenArray)
      .min(1, 'input must not be an empty array')
      .max(MAX_EMBEDDING_INPUTS, `input must have at most ${MAX_EMBEDDING_INPUTS} items`),
  ]),
  dimensions: z.number().int().min(1).max(65_536).optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});
export type OpenAIEmbeddingsRequest = z.infer<typeof openaiEmbeddingsRequestSchema>;

/** What an OpenAI-compatible upstream answers (loose: vendors add fields). */
export const openaiEmbeddingsResponseSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      embedding: z.union([z.array(z.number()), z.string()]),
      index: z.number().int().optional(),
    }),
  ),
  model: z.string().optional(),
  usage: z.looseObject({ prompt_tokens: z.number().optional(), total_tokens: z.number().optional() }).optional(),
});
export type OpenAIEmbeddingsResponse = z.infer<typeof openaiEmbeddingsResponseSchema>;

const geminiPart = z.looseObject({ text: z.string().optional() });
export const geminiContentSchema = z.looseObject({ role: z.string().optional(), parts: z.array(geminiPart).min(1, 'content.parts must not be empty') });

/** Gemini `EmbedContentRequest` (the body of :embedContent and each item of :batchEmbedContents). */
export const geminiEmbedRequestSchema = z.looseObject({
  model: z.string().optional(),
  content: geminiContentSchema,
  taskType: z.string().optional(),
  title: z.string().optional(),
  outputDimensionality: z.number().int().min(1).optional(),
});
export type GeminiEmbedRequest = z.infer<typeof geminiEmbedRequestSchema>;

export const geminiBatchEmbedRequestSchema = z.looseObject({
  requests: z
    .array(geminiEmbedRequestSchema)
    .min(1, 'requests must not be empty')
    .max(MAX_EMBEDDING_INPUTS, `requests must have at most ${MAX_EMBEDDING_INPUTS} items`),
});
export type GeminiBatchEmbedRequest = z.infer<typeof geminiBatchEmbedRequestSchema>;

const geminiEmbedding = z.looseObject({ values: z.array(z.number()) });
const geminiUsage = z.looseObject({ promptTokenCount: z.number().optional(), totalTokenCount: z.number().optional() }).optional();

export const geminiBatchEmbedResponseSchema = z.looseObject({ embeddings: z.array(geminiEmbedding), usageMetadata: geminiUsage });
export const geminiSingleEmbedResponseSchema = z.looseObject({ embedding: geminiEmbedding, usageMetadata: geminiUsage });

/** First zod issue as one readable sentence, with the field path the client got wrong. */
export function describeZodError(err: z.ZodError): { message: string; param?: string } {
  const issue = err.issues[0];
  if (!issue) return { message: 'invalid request body' };
  const param = issue.path.length ? issue.path.join('.') : undefined;
  // Unions report "Invalid input"; say what was expected instead.
  if (issue.code === 'invalid_union') {
    const inner = issue.errors.flat()[0];
    if (inner && inner.code !== 'invalid_type') {
      return { message: `${param ?? 'body'}: ${inner.message}`, param };
    }
    return { message: `${param ?? 'body'} has an unsupported shape`, param };
  }
  return { message: param ? `${param}: ${issue.message}` : issue.message, param };
}
