import { createHash, randomUUID } from 'node:crypto';
import type { AccountQuota, AccountSummary, LogEntry } from '../../../src-shared/domain';
import type { UsageRecord } from '../usage/record';
import type { AccountView } from './engine-facade';
import type { QuotaWindow } from '../quota/window';

/** Short stable id from the parts that identify a thing (never reversible to a secret). */
export function shortHash(...parts: Array<string | undefined | null>): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('hex')
    .slice(0, 12);
}

/** `sk-…a1b2`: enough to tell keys apart, never enough to use one. */
export function maskSecret(secret: string): string {
  const tail = secret.length > 8 ? secret.slice(-4) : '';
  const head = /^[a-z]{2,4}-/i.exec(secret)?.[0] ?? '';
  return `${head}…${tail}`;
}

export function toAccountSummary(v: AccountView): AccountSummary {
  const a = v.account;
  const plan = v.plan ?? (typeof a.meta.plan === 'string' ? a.meta.plan : null);
  return {
    id: a.id,
    provider: a.provider,
    kind: a.kind,
    label: a.label,
    plan,
    status: a.disabled ? 'disabled' : v.status,
    coolingUntil: v.coolingUntil,
    coolingReason: v.coolingReason ?? null,
    expiresAt: v.expiresAt,
    priority: a.priority,
    prefix: a.prefix ?? null,
    weight: a.weight,
    order: a.order,
    maskedKey: v.maskedKey,
    baseUrl: a.baseUrl ?? null,
    lastError: v.lastError,
  };
}

export function toAccountQuota(v: AccountView, windows: QuotaWindow[]): AccountQuota {
  const s = toAccountSummary(v);
  return { accountId: s.id, provider: s.provider, label: s.label, status: s.status, plan: s.plan, windows };
}

export function toLogEntry(r: UsageRecord): LogEntry {
  return {
    id: r.id ?? randomUUID(),
    time: r.time,
    clientKeyLabel: r.clientKeyLabel ?? null,
    inboundFormat: String(r.inboundFormat),
    provider: r.provider ?? null,
    accountId: r.accountId ?? null,
    accountLabel: r.accountLabel ?? null,
    requestedModel: r.requestedModel,
    upstreamModel: r.upstreamModel ?? null,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    reasoningTokens: r.reasoningTokens,
    cachedTokens: r.cachedTokens,
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs ?? null,
    status: r.status,
    errorClass: r.errorClass ?? null,
    stream: r.stream,
    ...failureFields(r),
  };
}

type FailureFields = Pick<LogEntry, 'upstreamStatus' | 'upstreamMessage' | 'retryAt' | 'tried'>;

/** The upstream's answer and the accounts tried, when the record carries them (optional fields). */
function failureFields(r: UsageRecord): FailureFields {
  const f = r as UsageRecord & FailureFields;
  return {
    ...(f.upstreamStatus !== undefined ? { upstreamStatus: f.upstreamStatus } : {}),
    ...(f.upstreamMessage !== undefined ? { upstreamMessage: f.upstreamMessage } : {}),
    ...(f.retryAt !== undefined ? { retryAt: f.retryAt } : {}),
    ...(f.tried !== undefined ? { tried: f.tried } : {}),
  };
}

/** Start of the local day (the engine's clock, the machine's zone). */
export function startOfLocalDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
