import type { IrUsage } from '../../ir';
import { recordAt, tokenCount } from '../shared/token-count';
import type { ClaudeUsage } from './schema';

/**
 * Claude reports `input_tokens` WITHOUT the cached parts; the IR counts all prompt tokens in
 * `inputTokens` and names the cached share separately (PROTOCOLS.md §3.14).
 */
export function decodeUsage(u: ClaudeUsage | null | undefined): IrUsage | undefined {
  if (!u) return undefined;
  const fresh = u.input_tokens ?? 0;
  const read = u.cache_read_input_tokens ?? 0;
  const write = u.cache_creation_input_tokens ?? 0;
  const out: IrUsage = { inputTokens: fresh + read + write, outputTokens: u.output_tokens ?? 0 };
  if (u.cache_read_input_tokens != null) out.cachedInputTokens = read;
  if (u.cache_creation_input_tokens != null) out.cacheWriteTokens = write;
  out.totalTokens = out.inputTokens + out.outputTokens;
  return out;
}

/**
 * Usage of a whole Messages body without decoding the rest (passthrough answers): the same
 * mapping as `decodeResponse(body).usage`, with each count checked on its own.
 */
export function readUsage(json: unknown): IrUsage | undefined {
  const u = recordAt(json, 'usage');
  if (!u) return undefined;
  return decodeUsage({
    input_tokens: tokenCount(u.input_tokens),
    output_tokens: tokenCount(u.output_tokens),
    cache_creation_input_tokens: tokenCount(u.cache_creation_input_tokens),
    cache_read_input_tokens: tokenCount(u.cache_read_input_tokens),
  });
}

export interface ClaudeUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export function encodeUsage(u: IrUsage | undefined): ClaudeUsageOut {
  if (!u) return { input_tokens: 0, output_tokens: 0 };
  const read = u.cachedInputTokens ?? 0;
  const write = u.cacheWriteTokens ?? 0;
  const out: ClaudeUsageOut = {
    input_tokens: Math.max(0, u.inputTokens - read - write),
    output_tokens: u.outputTokens,
  };
  if (u.cacheWriteTokens !== undefined) out.cache_creation_input_tokens = write;
  if (u.cachedInputTokens !== undefined) out.cache_read_input_tokens = read;
  return out;
}
