import type { WireError } from '../protocols/protocol';
import type { SkippedCandidate } from '../routing/contract';
import type { Candidate, RequestRecord, TriedAccount } from './types';

/** Longest upstream message kept on a record (log lines, tooltips). */
export const UPSTREAM_MESSAGE_MAX = 500;

export function boundMessage(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.replace(/\s+/g, ' ').trim();
  return t ? (t.length > UPSTREAM_MESSAGE_MAX ? `${t.slice(0, UPSTREAM_MESSAGE_MAX - 1)}…` : t) : undefined;
}

/** What one failed try tells the request log. */
export interface TryFailure {
  status?: number;
  reason: string;
  upstreamMessage?: string;
  retryAt?: number;
}

function entryOf(c: Candidate, outcome: TriedAccount['outcome'], reason: string, status?: number): TriedAccount {
  const t: TriedAccount = { accountId: c.account.id, provider: c.account.provider, outcome, reason };
  if (c.account.label) t.accountLabel = c.account.label;
  if (status !== undefined) t.status = status;
  return t;
}

/** What a request's record opens with; arrival time now, status 0, no attempt yet unless given. */
export type RecordOpening = Pick<RequestRecord, 'requestId' | 'inboundFormat' | 'operation' | 'requestedModel' | 'stream' | 'clientKeyLabel'> &
  Partial<RequestRecord>;

/**
 * The record with every field present from the start, always in this order: one hidden class for
 * every request, so the stores below stay monomorphic instead of growing the object field by field.
 * Fields not known yet are `undefined`, which every reader treats as absent.
 */
function fixedShape(o: RecordOpening): RequestRecord {
  return {
    requestId: o.requestId,
    time: o.time ?? Date.now(),
    clientKeyLabel: o.clientKeyLabel,
    inboundFormat: o.inboundFormat,
    operation: o.operation,
    provider: o.provider,
    accountId: o.accountId,
    accountLabel: o.accountLabel,
    requestedModel: o.requestedModel,
    upstreamModel: o.upstreamModel,
    stream: o.stream,
    status: o.status ?? 0,
    errorClass: o.errorClass,
    errorMessage: o.errorMessage,
    usage: o.usage,
    latencyMs: o.latencyMs ?? 0,
    ttftMs: o.ttftMs,
    attempts: o.attempts ?? 0,
    upstreamStatus: o.upstreamStatus,
    upstreamMessage: o.upstreamMessage,
    retryAt: o.retryAt,
    tried: o.tried,
  };
}

/**
 * The request record's bookkeeping, kept by the failover runner: which
 * account is being tried, how each try ended, which accounts were passed over and why.
 */
export class RecordKeeper {
  private readonly started = performance.now();
  private skippedNoted = false;
  readonly record: RequestRecord;

  constructor(opening: RecordOpening) {
    this.record = fixedShape(opening);
  }

  /** Call before each try. */
  trying(c: Candidate): void {
    const r = this.record;
    r.attempts++;
    r.provider = c.account.provider;
    r.accountId = c.account.id;
    r.accountLabel = c.account.label;
    r.upstreamModel = c.upstreamModel;
  }

  ok(c: Candidate, upstreamStatus = 200): void {
    (this.record.tried ??= []).push(entryOf(c, 'ok', 'served', upstreamStatus));
    this.record.upstreamStatus = upstreamStatus;
  }

  failed(c: Candidate, f: TryFailure): void {
    (this.record.tried ??= []).push(entryOf(c, 'failed', f.reason, f.status));
    if (f.status !== undefined) this.record.upstreamStatus = f.status;
    const msg = boundMessage(f.upstreamMessage);
    if (msg) this.record.upstreamMessage = msg;
    if (f.retryAt !== undefined) this.record.retryAt = f.retryAt;
  }

  /** Once per request: the candidates routing passed over (cooling, needs sign-in, …). */
  noteSkipped(skipped: readonly SkippedCandidate[]): void {
    if (this.skippedNoted) return;
    this.skippedNoted = true;
    for (const s of skipped) {
      (this.record.tried ??= []).push(entryOf(s.candidate, 'skipped', s.reason));
      if (s.until !== undefined && (this.record.retryAt === undefined || s.until < this.record.retryAt)) this.record.retryAt = s.until;
    }
  }

  /** Close the record: status sent, error class and message, latency. */
  close(status: number, err?: WireError & { retryAfterSeconds?: number }, firstByteAt?: number): RequestRecord {
    const r = this.record;
    r.status = status;
    if (err) {
      r.errorClass = err.kind ?? err.code ?? String(status);
      r.errorMessage = err.message;
      if (err.retryAfterSeconds !== undefined && r.retryAt === undefined) r.retryAt = Math.round(Date.now() + err.retryAfterSeconds * 1000);
    }
    r.latencyMs = performance.now() - this.started;
    if (firstByteAt) r.ttftMs = firstByteAt - this.started;
    return r;
  }
}
