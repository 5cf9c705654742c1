import type { IrUsage } from '../../ir';
import { readOpenAiUsage, usageFromCounts } from '../shared/openai-usage';
import type { ChatUsage } from './schema';

/** OpenAI Chat usage ↔ IR (PROTOCOLS.md §3.14): `prompt_*` and `completion_*` counts. */
export function decodeUsage(u: ChatUsage | null | undefined): IrUsage | undefined {
  if (!u) return undefined;
  return usageFromCounts({
    input: u.prompt_tokens,
    output: u.completion_tokens,
    total: u.total_tokens,
    cached: u.prompt_tokens_details?.cached_tokens,
    reasoning: u.completion_tokens_details?.reasoning_tokens,
  });
}

const FIELDS = { input: 'prompt_tokens', output: 'completion_tokens', inputDetails: 'prompt_tokens_details', outputDetails: 'completion_tokens_details' } as const;

/** Usage of a whole chat completion body without decoding the rest (passthrough answers). */
export function readUsage(json: unknown): IrUsage | undefined {
  return readOpenAiUsage(json, FIELDS);
}

export interface ChatUsageOut {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export function encodeUsage(u: IrUsage | undefined): ChatUsageOut {
  if (!u) return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const out: ChatUsageOut = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.totalTokens ?? u.inputTokens + u.outputTokens,
  };
  if (u.cachedInputTokens !== undefined) out.prompt_tokens_details = { cached_tokens: u.cachedInputTokens };
  if (u.reasoningTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: u.reasoningTokens };
  return out;
}
