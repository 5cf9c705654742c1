import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { UsageRecord } from './record';

/** A usage_records row as better-sqlite3 returns it. */
export interface UsageRow {
  uid: string;
  time: number;
  client_key_label: string | null;
  inbound_format: string;
  provider: string | null;
  account_id: string | null;
  account_label: string | null;
  requested_model: string;
  upstream_model: string | null;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cached_tokens: number;
  latency_ms: number;
  ttft_ms: number | null;
  status: number;
  error_class: string | null;
  stream: number;
  /** JSON of the failure explanation (see detailOf), or null. */
  detail: string | null;
}

const int = (n: number | undefined): number => (Number.isFinite(n) ? Math.max(0, Math.round(n as number)) : 0);

/**
 * One row's values for the insert statement, in USAGE_COLUMNS order (bound by position: cheaper
 * than 19 named parameters per row in a batch of hundreds).
 */
export type RowValues = [
  uid: string,
  time: number,
  client_key_label: string | null,
  inbound_format: string,
  provider: string | null,
  account_id: string | null,
  account_label: string | null,
  requested_model: string,
  upstream_model: string | null,
  input_tokens: number,
  output_tokens: number,
  reasoning_tokens: number,
  cached_tokens: number,
  latency_ms: number,
  ttft_ms: number | null,
  status: number,
  error_class: string | null,
  stream: number,
  detail: string | null,
];

export function toRowValues(r: UsageRecord): RowValues {
  return [
    r.id && r.id.length > 0 ? r.id : randomUUID(),
    // Defaults keep one malformed record from failing its whole batch.
    Number.isFinite(r.time) ? Math.round(r.time) : Date.now(),
    r.clientKeyLabel ?? null,
    String(r.inboundFormat ?? 'unknown'),
    r.provider ?? null,
    r.accountId ?? null,
    r.accountLabel ?? null,
    typeof r.requestedModel === 'string' ? r.requestedModel : '',
    r.upstreamModel ?? null,
    int(r.inputTokens),
    int(r.outputTokens),
    int(r.reasoningTokens),
    int(r.cachedTokens),
    int(r.latencyMs),
    r.ttftMs === undefined || r.ttftMs === null ? null : int(r.ttftMs),
    Number.isFinite(r.status) ? Math.round(r.status) : 0,
    r.errorClass ?? null,
    r.stream ? 1 : 0,
    detailOf(r),
  ];
}

const MAX_TRIED = 20;
const MAX_TEXT = 500;
const clip = (s: unknown): string | undefined => (typeof s === 'string' ? s.slice(0, MAX_TEXT) : undefined);

/** The failure explanation as stored: bounded (a few KB at most), null when there is none. */
function detailOf(r: UsageRecord): string | null {
  const d: Record<string, unknown> = {};
  if (Number.isFinite(r.upstreamStatus)) d.upstreamStatus = r.upstreamStatus;
  if (r.upstreamMessage) d.upstreamMessage = clip(r.upstreamMessage);
  if (Number.isFinite(r.retryAt)) d.retryAt = r.retryAt;
  if (r.tried?.length) {
    d.tried = r.tried.slice(0, MAX_TRIED).map((t) => ({ ...t, reason: clip(t.reason) ?? '', accountLabel: clip(t.accountLabel) }));
  }
  return Object.keys(d).length ? JSON.stringify(d) : null;
}

const triedSchema = z.array(
  z.object({
    accountId: z.string(),
    accountLabel: z.string().optional(),
    provider: z.string(),
    outcome: z.enum(['ok', 'failed', 'skipped']),
    status: z.number().optional(),
    reason: z.string(),
  }),
);
const detailSchema = z.object({
  upstreamStatus: z.number().optional(),
  upstreamMessage: z.string().optional(),
  retryAt: z.number().optional(),
  tried: triedSchema.optional(),
});

/** Read a stored explanation back; anything unreadable is left out rather than failing the row. */
function applyDetail(r: UsageRecord, text: string | null | undefined): void {
  if (!text) return;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return;
  }
  const d = detailSchema.safeParse(raw);
  if (!d.success) return;
  if (d.data.upstreamStatus !== undefined) r.upstreamStatus = d.data.upstreamStatus;
  if (d.data.upstreamMessage !== undefined) r.upstreamMessage = d.data.upstreamMessage;
  if (d.data.retryAt !== undefined) r.retryAt = d.data.retryAt;
  if (d.data.tried) r.tried = d.data.tried;
}

export function fromRow(row: UsageRow): UsageRecord {
  const r: UsageRecord = {
    id: row.uid,
    time: row.time,
    inboundFormat: row.inbound_format,
    requestedModel: row.requested_model,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    reasoningTokens: row.reasoning_tokens,
    cachedTokens: row.cached_tokens,
    latencyMs: row.latency_ms,
    status: row.status,
    stream: row.stream === 1,
  };
  if (row.client_key_label !== null) r.clientKeyLabel = row.client_key_label;
  if (row.provider !== null) r.provider = row.provider;
  if (row.account_id !== null) r.accountId = row.account_id;
  if (row.account_label !== null) r.accountLabel = row.account_label;
  if (row.upstream_model !== null) r.upstreamModel = row.upstream_model;
  if (row.ttft_ms !== null) r.ttftMs = row.ttft_ms;
  if (row.error_class !== null) r.errorClass = row.error_class;
  applyDetail(r, row.detail);
  return r;
}
