import type { IrUsage } from '../../ir';
import { recordAt, tokenCount } from '../shared/token-count';
import type { ChatUsage } from './schema';

/**
 * OpenAI usage ↔ IR (PROTOCOLS.md §3.14). Both count cached tokens inside `prompt_tokens` and
 * reasoning tokens inside `completion_tokens`, so the mapping is one to one.
 */
export function decodeUsage(u: ChatUsage | null | undefined): IrUsage | undefined {
  if (!u) return undefined;
  const out: IrUsage = { inputTokens: u.prompt_tokens ?? 0, outputTokens: u.completion_tokens ?? 0 };
  const cached = u.prompt_tokens_details?.cached_tokens;
  if (cached != null) out.cachedInputTokens = cached;
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (reasoning != null) out.reasoningTokens = reasoning;
  out.totalTokens = u.total_tokens ?? out.inputTokens + out.outputTokens;
  return out;
}

/**
 * Usage of a whole chat completion body without decoding the rest (passthrough answers): the
 * same mapping as `decodeResponse(body).usage`, with each count checked on its own.
 */
export function readUsage(json: unknown): IrUsage | undefined {
  const u = recordAt(json, 'usage');
  if (!u) return undefined;
  const prompt = recordAt(u, 'prompt_tokens_details');
  const completion = recordAt(u, 'completion_tokens_details');
  return decodeUsage({
    prompt_tokens: tokenCount(u.prompt_tokens),
    completion_tokens: tokenCount(u.completion_tokens),
    total_tokens: tokenCount(u.total_tokens),
    prompt_tokens_details: prompt && { cached_tokens: tokenCount(prompt.cached_tokens) },
    completion_tokens_details: completion && { reasoning_tokens: tokenCount(completion.reasoning_tokens) },
  });
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
