import type { IrUsage } from '../../ir';
import { recordAt, tokenCount } from './token-count';

/** The counts of an OpenAI usage object; Chat Completions and Responses only name them differently. */
export interface OpenAiUsageCounts {
  input?: number | null;
  output?: number | null;
  total?: number | null;
  cached?: number | null;
  reasoning?: number | null;
}

/**
 * OpenAI usage → IR (PROTOCOLS.md §3.14). Both formats count cached tokens inside the input and
 * reasoning tokens inside the output, so the mapping is one to one.
 */
export function usageFromCounts(c: OpenAiUsageCounts): IrUsage {
  const out: IrUsage = { inputTokens: c.input ?? 0, outputTokens: c.output ?? 0 };
  if (c.cached != null) out.cachedInputTokens = c.cached;
  if (c.reasoning != null) out.reasoningTokens = c.reasoning;
  out.totalTokens = c.total ?? out.inputTokens + out.outputTokens;
  return out;
}

/** Where one format keeps its counts (`total_tokens` is named alike in both). */
export interface OpenAiUsageFields {
  input: 'prompt_tokens' | 'input_tokens';
  output: 'completion_tokens' | 'output_tokens';
  inputDetails: 'prompt_tokens_details' | 'input_tokens_details';
  outputDetails: 'completion_tokens_details' | 'output_tokens_details';
}

/**
 * Usage of a whole answer body without decoding the rest (passthrough answers): the same
 * mapping as the format's full decode, with each count checked on its own.
 */
export function readOpenAiUsage(json: unknown, f: OpenAiUsageFields): IrUsage | undefined {
  const u = recordAt(json, 'usage');
  if (!u) return undefined;
  return usageFromCounts({
    input: tokenCount(u[f.input]),
    output: tokenCount(u[f.output]),
    total: tokenCount(u.total_tokens),
    cached: tokenCount(recordAt(u, f.inputDetails)?.cached_tokens),
    reasoning: tokenCount(recordAt(u, f.outputDetails)?.reasoning_tokens),
  });
}
