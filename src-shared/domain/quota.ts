import { z } from 'zod';
import { epochMsSchema, idSchema, providerIdSchema } from './common';
import { accountStatusSchema } from './accounts';

export const quotaKindSchema = z.enum(['5h', 'daily', 'weekly', 'monthly', 'per-model', 'credits']);
export type QuotaKind = z.infer<typeof quotaKindSchema>;
export const quotaSourceSchema = z.enum(['traffic', 'poll', 'local']);
export type QuotaSource = z.infer<typeof quotaSourceSchema>;

/** Mirrors engine/quota/window.ts QuotaWindow (the engine type is structurally assignable). */
export const quotaWindowSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: quotaKindSchema,
  usedPercent: z.number().min(0).max(100),
  resetAt: epochMsSchema.nullable(),
  windowSeconds: z.number().nonnegative(),
  source: quotaSourceSchema,
  observedAt: epochMsSchema,
  model: z.string().optional(),
  balance: z.number().optional(),
  /** Why a balance reads as it does (Claude `overage-disabled-reason`, e.g. `org_level_disabled`). */
  note: z.string().optional(),
  count: z.object({ requests: z.number(), tokens: z.number(), limit: z.number().optional() }).optional(),
});
export type QuotaWindowDto = z.infer<typeof quotaWindowSchema>;

export const accountQuotaSchema = z.object({
  accountId: idSchema,
  provider: providerIdSchema,
  label: z.string(),
  status: accountStatusSchema,
  plan: z.string().nullable(),
  windows: z.array(quotaWindowSchema),
});
export type AccountQuota = z.infer<typeof accountQuotaSchema>;

/** Percent LEFT at which a meter turns amber / red (defaults 20 and 5). */
export const quotaThresholdsSchema = z
  .strictObject({
    warnPercentLeft: z.number().min(0).max(100),
    criticalPercentLeft: z.number().min(0).max(100),
  })
  .refine((t) => t.criticalPercentLeft <= t.warnPercentLeft, { message: 'critical must be at or below warn' });
export type QuotaThresholds = z.infer<typeof quotaThresholdsSchema>;

export const quotaSnapshotSchema = z.object({
  accounts: z.array(accountQuotaSchema),
  thresholds: quotaThresholdsSchema,
  /** Epoch ms the snapshot was taken. */
  at: epochMsSchema,
});
export type QuotaSnapshot = z.infer<typeof quotaSnapshotSchema>;

/** Event: one crossing of a threshold (for notifications). */
export const quotaThresholdEventSchema = z.object({
  accountId: idSchema,
  provider: providerIdSchema,
  label: z.string(),
  windowId: z.string(),
  windowLabel: z.string(),
  level: z.enum(['warn', 'critical', 'recovered']),
  percentLeft: z.number(),
  resetAt: epochMsSchema.nullable(),
});
export type QuotaThresholdEvent = z.infer<typeof quotaThresholdEventSchema>;
