import { z } from 'zod';
import { epochMsSchema, idSchema } from './common';

export const seriesBucketSchema = z.enum(['hour', 'day', 'week']);
export const seriesGroupBySchema = z.enum(['model', 'account', 'provider', 'client']);

export const timeRangeSchema = z.strictObject({ from: epochMsSchema, to: epochMsSchema });

export const seriesRequestSchema = z.strictObject({
  from: epochMsSchema,
  to: epochMsSchema,
  bucket: seriesBucketSchema,
  groupBy: seriesGroupBySchema,
  utcOffsetMinutes: z.number().int().min(-840).max(840).optional(),
});
export type SeriesRequest = z.infer<typeof seriesRequestSchema>;

/** Mirrors engine/usage SeriesPoint. */
export const seriesPointSchema = z.object({
  bucketStart: epochMsSchema,
  key: z.string(),
  label: z.string(),
  requests: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  cachedTokens: z.number(),
  totalTokens: z.number(),
  avgLatencyMs: z.number(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

export const usageTotalsSchema = z.object({
  requests: z.number(),
  successes: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  cachedTokens: z.number(),
  totalTokens: z.number(),
  avgLatencyMs: z.number(),
  avgTtftMs: z.number(),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

/** One finished request: a live log line and a usage row. The client key appears by label only. */
export const logEntrySchema = z.object({
  id: idSchema,
  time: epochMsSchema,
  clientKeyLabel: z.string().nullable(),
  inboundFormat: z.string(),
  provider: z.string().nullable(),
  accountId: z.string().nullable(),
  accountLabel: z.string().nullable(),
  requestedModel: z.string(),
  upstreamModel: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  cachedTokens: z.number(),
  latencyMs: z.number(),
  ttftMs: z.number().nullable(),
  status: z.number().int(),
  errorClass: z.string().nullable(),
  stream: z.boolean(),
  /** What the upstream answered when the request failed (HTTP status and its message). */
  upstreamStatus: z.number().int().optional(),
  upstreamMessage: z.string().optional(),
  /** Epoch ms the failing account/model may be tried again. */
  retryAt: z.number().optional(),
  /** Every account the router considered, in order, and what happened with it. */
  tried: z
    .array(
      z.object({
        accountId: z.string(),
        accountLabel: z.string().optional(),
        provider: z.string(),
        outcome: z.enum(['ok', 'failed', 'skipped']),
        status: z.number().int().optional(),
        reason: z.string(),
      }),
    )
    .optional(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const recentFiltersSchema = z.strictObject({
  provider: z.string().optional(),
  accountId: z.string().optional(),
  model: z.string().optional(),
  clientKeyLabel: z.string().optional(),
  onlyErrors: z.boolean().optional(),
});
export type RecentFilters = z.infer<typeof recentFiltersSchema>;

export const recentRequestSchema = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(200),
  filters: recentFiltersSchema.default({}),
});
