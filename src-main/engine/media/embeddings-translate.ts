import { createRequire } from 'node:module';

type Cl100k = { decode(tokens: number[]): string; encode(text: string): number[] };
let cl100k: Cl100k | undefined;
/** The BPE tables cost tens of MB: load them on the first request that needs them, not at start. */
function tokenizer(): Cl100k {
  cl100k ??= createRequire(import.meta.url)('gpt-tokenizer/encoding/cl100k_base') as Cl100k;
  return cl100k;
}
const decodeCl100k = (tokens: number[]) => tokenizer().decode(tokens);
const encodeCl100k = (text: string) => tokenizer().encode(text);
import type { IrUsage } from '../ir';
import { base64Float32, float32Base64 } from './base64';
import type {
  GeminiBatchEmbedRequest,
  OpenAIEmbeddingsRequest,
  OpenAIEmbeddingsResponse,
} from './openai-embeddings-schema';

/**
 * Pure mappings between OpenAI embeddings and Gemini embedContent / batchEmbedContents.
 * Token-array inputs are OpenAI's cl100k token ids; Gemini only takes text, so they are decoded.
 */

/** OpenAI `input` as a list of texts (one per embedding asked for). */
export function inputTexts(input: OpenAIEmbeddingsRequest['input']): string[] {
  if (typeof input === 'string') return [input];
  if (input.length === 0) return [];
  if (typeof input[0] === 'string') return input as string[];
  if (typeof input[0] === 'number') return [decodeCl100k(input as number[])];
  return (input as number[][]).map((t) => decodeCl100k(t));
}

/** Gemini refuses more than this many requests in one batchEmbedContents call. */
export const GEMINI_BATCH_LIMIT = 100;

/**
 * The OpenAI batch as Gemini batch requests (Gemini wants `models/<id>` in each item): one call
 * for up to 100 inputs, more calls of 100 beyond that, answered in order.
 */
export function openaiToGeminiBatches(req: OpenAIEmbeddingsRequest, upstreamModel: string, limit = GEMINI_BATCH_LIMIT): GeminiBatchEmbedRequest[] {
  const model = `models/${upstreamModel}`;
  const all = inputTexts(req.input).map((text) => ({
    model,
    content: { parts: [{ text }] },
    ...(req.dimensions !== undefined ? { outputDimensionality: req.dimensions } : {}),
  }));
  const out: GeminiBatchEmbedRequest[] = [];
  for (let i = 0; i < all.length; i += limit) out.push({ requests: all.slice(i, i + limit) });
  return out;
}

/** Local estimate when the upstream does not count (Gemini embeddings report no usage). */
export function estimateTokens(texts: readonly string[]): number {
  let n = 0;
  for (const t of texts) n += encodeCl100k(t).length;
  return n;
}

export interface OpenAIEmbeddingsBody {
  object: 'list';
  data: Array<{ object: 'embedding'; embedding: number[] | string; index: number }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** Gemini vectors → OpenAI response; base64 is little-endian float32, as OpenAI sends it. */
export function geminiToOpenaiEmbeddings(
  vectors: readonly number[][],
  opts: { clientModel: string; encoding: 'float' | 'base64'; promptTokens: number },
): OpenAIEmbeddingsBody {
  return {
    object: 'list',
    data: vectors.map((v, index) => ({
      object: 'embedding',
      embedding: opts.encoding === 'base64' ? float32Base64(v) : [...v],
      index,
    })),
    model: opts.clientModel,
    usage: { prompt_tokens: opts.promptTokens, total_tokens: opts.promptTokens },
  };
}

/** Text of one Gemini content (parts joined), for an OpenAI-compatible upstream. */
export function geminiContentText(content: { parts: Array<{ text?: string }> }): string {
  return content.parts.map((p) => p.text ?? '').join('\n');
}

/**
 * Gemini batch → one OpenAI request. OpenAI has one `dimensions` for the whole call, so
 * differing `outputDimensionality` values cannot be expressed: the caller gets a 400.
 */
export function geminiBatchToOpenai(
  batch: GeminiBatchEmbedRequest,
  upstreamModel: string,
): { body: Record<string, unknown>; texts: string[] } | { error: string } {
  const dims = new Set(batch.requests.map((r) => r.outputDimensionality));
  if (dims.size > 1) return { error: 'all requests in one batch must ask for the same outputDimensionality for this model' };
  const texts = batch.requests.map((r) => geminiContentText(r.content));
  const [dimensions] = [...dims];
  return {
    texts,
    body: { model: upstreamModel, input: texts, encoding_format: 'float', ...(dimensions !== undefined ? { dimensions } : {}) },
  };
}

/** OpenAI vectors in index order, whatever encoding the upstream chose. */
export function openaiVectors(res: OpenAIEmbeddingsResponse): number[][] {
  return [...res.data]
    .map((d, i) => ({ index: d.index ?? i, values: typeof d.embedding === 'string' ? base64Float32(d.embedding) : d.embedding }))
    .sort((a, b) => a.index - b.index)
    .map((d) => d.values);
}

export function usageOfOpenai(res: OpenAIEmbeddingsResponse): IrUsage | undefined {
  const u = res.usage;
  if (!u || (u.prompt_tokens === undefined && u.total_tokens === undefined)) return undefined;
  const input = u.prompt_tokens ?? u.total_tokens ?? 0;
  return { inputTokens: input, outputTokens: 0, totalTokens: u.total_tokens ?? input };
}

export function embedUsage(promptTokens: number): IrUsage {
  return { inputTokens: promptTokens, outputTokens: 0, totalTokens: promptTokens };
}
