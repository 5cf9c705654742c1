import type { IrUsage } from '../../ir';
import { recordAt, tokenCount } from '../shared/token-count';
import type { GeminiUsage } from './schema';

/**
 * Gemini counts thinking apart from the answer (`thoughtsTokenCount` is not part of
 * `candidatesTokenCount`); the IR's outputTokens includes reasoning (PROTOCOLS.md §3.14).
 */
export function decodeUsage(u: GeminiUsage | undefined): IrUsage | undefined {
  if (!u) return undefined;
  const thoughts = u.thoughtsTokenCount ?? 0;
  const out: IrUsage = {
    inputTokens: (u.promptTokenCount ?? 0) + (u.toolUsePromptTokenCount ?? 0),
    outputTokens: (u.candidatesTokenCount ?? 0) + thoughts,
  };
  if (u.cachedContentTokenCount !== undefined) out.cachedInputTokens = u.cachedContentTokenCount;
  if (u.thoughtsTokenCount !== undefined) out.reasoningTokens = thoughts;
  out.totalTokens = u.totalTokenCount ?? out.inputTokens + out.outputTokens;
  return out;
}

const USAGE_KEYS = ['promptTokenCount', 'candidatesTokenCount', 'totalTokenCount', 'thoughtsTokenCount', 'cachedContentTokenCount', 'toolUsePromptTokenCount'] as const;

/**
 * Usage of a whole GenerateContentResponse (already out of its Code Assist envelope) without
 * decoding the rest (passthrough answers): the same mapping as `decodeResponse(body).usage`,
 * with each count checked on its own.
 */
export function readUsageMetadata(body: unknown): IrUsage | undefined {
  const u = recordAt(body, 'usageMetadata');
  if (!u) return undefined;
  const usage: GeminiUsage = {};
  for (const key of USAGE_KEYS) {
    const n = tokenCount(u[key]);
    if (n !== undefined) usage[key] = n;
  }
  return decodeUsage(usage);
}

export function encodeUsage(u: IrUsage): Record<string, number> {
  const reasoning = u.reasoningTokens ?? 0;
  const out: Record<string, number> = {
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: Math.max(0, u.outputTokens - reasoning),
    totalTokenCount: u.totalTokens ?? u.inputTokens + u.outputTokens,
  };
  if (u.reasoningTokens) out.thoughtsTokenCount = reasoning;
  if (u.cachedInputTokens) out.cachedContentTokenCount = u.cachedInputTokens;
  return out;
}
