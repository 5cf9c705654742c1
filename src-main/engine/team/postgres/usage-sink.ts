import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { UsageRecord } from '../../usage/record';

export interface PgUsageSinkOptions {
  pool: pg.Pool;
  ready: Promise<unknown>;
  /** This instance's name in the shared table (host:pid by default). */
  instance: string;
  /** Records held while the database is unreachable; past this the oldest are dropped (logged once per outage). */
  maxPending: number;
  flushIntervalMs?: number;
  /** Largest batch per INSERT. */
  batchSize?: number;
  onError: (message: string, detail: Record<string, unknown>) => void;
}

const COLUMNS = [
  'id', 'time', 'instance', 'client_key_label', 'inbound_format', 'provider', 'account_id', 'requested_model', 'upstream_model',
  'input_tokens', 'output_tokens', 'reasoning_tokens', 'cached_tokens', 'latency_ms', 'ttft_ms', 'status', 'error_class', 'stream',
] as const;

/**
 * Usage history in the shared database, written off the request path: `record()` only queues;
 * a timer inserts batches. While the database is down the queue holds records (bounded) and the
 * same batch is retried, so a restart of the database loses nothing below the bound. Inserts are
 * idempotent on the request id, so a batch retried after a commit whose answer was lost counts once.
 */
export class PgUsageSink {
  private queue: UsageRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private overflowLogged = false;
  private failing = false;
  dropped = 0;
  written = 0;

  constructor(private readonly o: PgUsageSinkOptions) {}

  get pending(): number {
    return this.queue.length;
  }

  record(r: UsageRecord): void {
    this.queue.push(r.id ? r : { ...r, id: randomUUID() });
    if (this.queue.length > this.o.maxPending) {
      const over = this.queue.length - this.o.maxPending;
      this.queue.splice(0, over);
      this.dropped += over;
      if (!this.overflowLogged) {
        this.overflowLogged = true;
        this.o.onError('usage records dropped: the database has been unreachable and the pending bound was reached', {
          maxPending: this.o.maxPending,
        });
      }
    }
    this.schedule(this.o.flushIntervalMs ?? 200);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  /** Write everything queued now (shutdown, tests). Resolves when the queue is empty or a write failed. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    await this.o.ready.catch(() => undefined);
    const size = this.o.batchSize ?? 500;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, size);
      try {
        await this.insert(batch);
      } catch (err) {
        if (!this.failing) this.o.onError('usage write failed; records are held and retried', { error: (err as Error).message, pending: this.queue.length });
        this.failing = true;
        this.schedule(1_000);
        return;
      }
      if (this.failing) this.o.onError('usage writes resumed', { pending: this.queue.length });
      this.failing = false;
      this.overflowLogged = false;
      // Only now drop the batch: records leave the queue once the database has them.
      this.queue.splice(0, batch.length);
      this.written += batch.length;
    }
  }

  private async insert(batch: UsageRecord[]): Promise<void> {
    const values: unknown[] = [];
    const rows = batch.map((r, i) => {
      values.push(
        r.id, r.time, this.o.instance, r.clientKeyLabel ?? null, r.inboundFormat, r.provider ?? null, r.accountId ?? null,
        r.requestedModel.slice(0, 512), r.upstreamModel?.slice(0, 512) ?? null, r.inputTokens, r.outputTokens, r.reasoningTokens,
        r.cachedTokens, r.latencyMs, r.ttftMs ?? null, r.status, r.errorClass ?? null, r.stream,
      );
      return `(${COLUMNS.map((_, j) => `$${i * COLUMNS.length + j + 1}`).join(', ')})`;
    });
    await this.o.pool.query(`INSERT INTO usage_records (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING`, values);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
