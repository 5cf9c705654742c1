import type { ProtocolId } from '../protocols/protocol';
import type { RequestRecord, TriedAccount } from '../pipeline/types';

/**
 * One finished client request as the usage store keeps it. Plain data: the recorder sits on the
 * request path and must not validate or copy more than needed. The client key is stored by label
 * only, never the key itself.
 */
export interface UsageRecord {
  /** Request id; makes export/import idempotent. Generated when missing. */
  id?: string;
  /** Epoch ms when the request arrived. */
  time: number;
  clientKeyLabel?: string;
  inboundFormat: ProtocolId | string;
  provider?: string;
  accountId?: string;
  accountLabel?: string;
  requestedModel: string;
  upstreamModel?: string;
  inputTokens: number;
  outputTokens: number;
  /** Part of outputTokens. */
  reasoningTokens: number;
  /** Part of inputTokens. */
  cachedTokens: number;
  latencyMs: number;
  ttftMs?: number;
  /** HTTP status sent to the client (0 = connection failed before a status). */
  status: number;
  errorClass?: string;
  stream: boolean;
  /** Why it failed, for "explain every failure" (all optional, absent on older rows). */
  upstreamStatus?: number;
  /** The upstream's own error message (≤ 500 characters). */
  upstreamMessage?: string;
  /** When a cooling account is usable again (epoch ms). */
  retryAt?: number;
  /** Each account tried or skipped, and why. */
  tried?: TriedAccount[];
}

/** A request failed when it has an error class or a non-2xx/3xx status. */
export function isFailure(r: Pick<UsageRecord, 'status' | 'errorClass'>): boolean {
  return !!r.errorClass || r.status >= 400 || r.status === 0;
}

/** Adapter from the pipeline's RequestRecord (what `onRequestDone` receives). */
export function usageFromRequestRecord(r: RequestRecord): UsageRecord {
  const u = r.usage;
  const out: UsageRecord = {
    id: r.requestId,
    time: r.time,
    clientKeyLabel: r.clientKeyLabel,
    inboundFormat: r.inboundFormat,
    provider: r.provider,
    accountId: r.accountId,
    accountLabel: r.accountLabel,
    requestedModel: r.requestedModel,
    upstreamModel: r.upstreamModel,
    inputTokens: u?.inputTokens ?? 0,
    outputTokens: u?.outputTokens ?? 0,
    reasoningTokens: u?.reasoningTokens ?? 0,
    cachedTokens: u?.cachedInputTokens ?? 0,
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
    status: r.status,
    errorClass: r.errorClass,
    stream: r.stream,
  };
  // Present only when known (assignments, not conditional spreads: no throw-away objects).
  if (r.upstreamStatus !== undefined) out.upstreamStatus = r.upstreamStatus;
  if (r.upstreamMessage !== undefined) out.upstreamMessage = r.upstreamMessage;
  if (r.retryAt !== undefined) out.retryAt = r.retryAt;
  if (r.tried?.length) out.tried = r.tried;
  return out;
}

/** A request record (it has an operation; usage records do not) as its usage record. */
export function asUsage(r: UsageRecord | RequestRecord): UsageRecord {
  return 'operation' in r ? usageFromRequestRecord(r) : r;
}

/** An error of one record (a field the database cannot take), not of the database itself. */
export function isRecordError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

export interface AccountCounts {
  requests: number;
  tokens: number;
  errors: number;
}

/** Where the local quota meter (Qwen/iFlow) reads an account's own traffic. */
export interface LocalUsageCounter {
  accountCounts(accountId: string, since: number): AccountCounts;
}
