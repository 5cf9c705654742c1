import type { IrUsage } from '../../ir';
import { readOpenAiUsage, usageFromCounts } from '../shared/openai-usage';
import type { ResponsesUsage } from './schema';

/** Responses usage ↔ IR (PROTOCOLS.md §3.14): `input_*` and `output_*` counts. */
export function decodeUsage(u: ResponsesUsage | null | undefined): IrUsage | undefined {
  if (!u) return undefined;
  return usageFromCounts({
    input: u.input_tokens,
    output: u.output_tokens,
    total: u.total_tokens,
    cached: u.input_tokens_details?.cached_tokens,
    reasoning: u.output_tokens_details?.reasoning_tokens,
  });
}

const FIELDS = { input: 'input_tokens', output: 'output_tokens', inputDetails: 'input_tokens_details', outputDetails: 'output_tokens_details' } as const;

/** Usage of a whole Responses object without decoding the rest (passthrough answers). */
export function readUsage(json: unknown): IrUsage | undefined {
  return readOpenAiUsage(json, FIELDS);
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
