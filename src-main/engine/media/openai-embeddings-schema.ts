import { z } from 'zod';

/** OpenAI rejects more than this many inputs in one call; we do the same before any upstream sees it. */
export const MAX_EMBEDDING_INPUTS = 2048;

type EmbeddingInput = string | string[] | number[] | number[][];

const isTokenArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((t) => Number.isInteger(t) && (t as number) >= 0);

/** Why `input` is unusable, or undefined when it is one of OpenAI's four shapes. */
function inputProblem(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length ? undefined : 'input must not be an empty string';
  if (!Array.isArray(v)) return 'input must be a string, an array of strings, or an array of token arrays';
  if (v.length === 0) return 'input must not be an empty array';
  if (v.length > MAX_EMBEDDING_INPUTS) return `input must have at most ${MAX_EMBEDDING_INPUTS} items (got ${v.length})`;
  if (v.every((x) => typeof x === 'string')) {
    const empty = v.findIndex((x) => x.length === 0);
    return empty >= 0 ? `input[${empty}] must not be an empty string` : undefined;
  }
  if (isTokenArray(v)) return undefined;
  if (v.every((x) => Array.isArray(x))) {
    const bad = v.findIndex((x) => !isTokenArray(x) || x.length === 0);
    return bad >= 0 ? `input[${bad}] must be a non-empty array of token ids` : undefined;
  }
  return 'input items must all be strings, or all token ids, or all token arrays';
}

/** POST /v1/embeddings body (unknown fields are kept so passthrough upstreams still see them). */
export const openaiEmbeddingsRequestSchema = z.looseObject({
  model: z.string().trim().min(1, 'the "model" field is required').max(256, 'the model name is longer than 256 characters'),
  input: z.custom<EmbeddingInput>((v) => inputProblem(v) === undefined, { error: (iss) => inputProblem(iss.input) ?? 'invalid input' }),
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
  if (issue.code === 'invalid_type' && param && issue.message.includes('undefined')) return { message: `the "${param}" field is required`, param };
  if (issue.message.startsWith(param ?? '\u0000')) return { message: issue.message, param };
  return { message: param ? `${param}: ${issue.message}` : issue.message, param };
}
