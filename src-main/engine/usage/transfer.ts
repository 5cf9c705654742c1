import { z } from 'zod';
import type { UsageRecord } from './record';

/** Export file format version; bump when a field changes meaning. */
export const USAGE_EXPORT_VERSION = 1;

const nonNeg = z.number().finite().nonnegative();

/** One record in an export file. External input: everything is checked on import. */
export const usageRecordSchema = z.object({
  id: z.string().min(1).max(200),
  time: z.number().int().nonnegative(),
  clientKeyLabel: z.string().max(500).optional(),
  inboundFormat: z.string().min(1).max(100),
  provider: z.string().max(100).optional(),
  accountId: z.string().max(500).optional(),
  accountLabel: z.string().max(500).optional(),
  requestedModel: z.string().max(500),
  upstreamModel: z.string().max(500).optional(),
  inputTokens: nonNeg,
  outputTokens: nonNeg,
  reasoningTokens: nonNeg.default(0),
  cachedTokens: nonNeg.default(0),
  latencyMs: nonNeg,
  ttftMs: nonNeg.optional(),
  status: z.number().int().min(0).max(999),
  errorClass: z.string().max(200).optional(),
  stream: z.boolean(),
});

export const usageExportSchema = z.object({
  format: z.literal('switchyard-usage'),
  version: z.literal(USAGE_EXPORT_VERSION),
  exportedAt: z.string(),
  records: z.array(usageRecordSchema),
});

export type UsageExport = z.infer<typeof usageExportSchema>;

export function buildExport(records: UsageRecord[], now: number): UsageExport {
  return {
    format: 'switchyard-usage',
    version: USAGE_EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    // Rows read back from the store always carry their uid, so `id` is set.
    records: records.map((r) => ({ ...r, id: r.id ?? '', inboundFormat: String(r.inboundFormat) })),
  };
}

export class UsageImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageImportError';
  }
}

/** Validate an import payload; throws UsageImportError with the first problem's path. */
export function parseImport(data: unknown): UsageRecord[] {
  const parsed = usageExportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new UsageImportError(`invalid usage export${where ? ` at ${where}` : ''}: ${issue?.message ?? 'unknown'}`);
  }
  return parsed.data.records;
}
