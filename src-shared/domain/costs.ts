import { z } from 'zod';

/**
 * Tokens per account × model over a range: what per-account cost estimates are computed from
 * (prices are per model, so an account's cost is the sum over the models it served).
 */
export const costBasisRowSchema = z.object({
  accountId: z.string(),
  accountLabel: z.string(),
  provider: z.string(),
  model: z.string(),
  requests: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
});
export type CostBasisRow = z.infer<typeof costBasisRowSchema>;
