import type { IrUsage } from '../../ir';
import { recordAt, tokenCount } from '../shared/token-count';
import type { ResponsesUsage } from './schema';

/** Responses usage ↔ IR (PROTOCOLS.md §3.14): cached inside input, reasoning inside output. */
export function decodeUsage(u: ResponsesUsage | null | undefined): IrUsage | undefined {
  if (!u) return undefined;
  const out: IrUsage = { inputTokens: u.input_tokens ?? 0, outputTokens: u.output_tokens ?? 0 };
  const cached = u.input_tokens_details?.cached_tokens;
  if (cached != null) out.cachedInputTokens = cached;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  if (reasoning != null) out.reasoningTokens = reasoning;
  out.totalTokens = u.total_tokens ?? out.inputTokens + out.outputTokens;
  return out;
}

/**
 * Usage of a whole Responses object without decoding the rest (passthrough answers): the same
 * mapping as `decodeResponse(body).usage`, with each count checked on its own.
 */
export function readUsage(json: unknown): IrUsage | undefined {
  const u = recordAt(json, 'usage');
  if (!u) return undefined;
  const input = recordAt(u, 'input_tokens_details');
  const output = recordAt(u, 'output_tokens_details');
  return decodeUsage({
    input_tokens: tokenCount(u.input_tokens),
    output_tokens: tokenCount(u.output_tokens),
    total_tokens: tokenCount(u.total_tokens),
    input_tokens_details: input && { cached_tokens: tokenCount(input.cached_tokens) },
    output_tokens_details: output && { reasoning_tokens: tokenCount(output.reasoning_tokens) },
  });
}

export interface ResponsesUsageOut {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** The details objects are always present: the SDK types declare them required. */
export function encodeUsage(u: IrUsage | undefined): ResponsesUsageOut {
  const input = u?.inputTokens ?? 0;
  const output = u?.outputTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u?.cachedInputTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: u?.reasoningTokens ?? 0 },
    total_tokens: u?.totalTokens ?? input + output,
  };
}
