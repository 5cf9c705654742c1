import type pg from 'pg';
import { z } from 'zod';
import type { QuotaBook } from '../../quota/quota-book';
import type { QuotaWindow } from '../../quota/window';
import { windowSchema } from '../../quota/store';
import type { Listener } from './listener';

export const QUOTA_CHANNEL = 'switchyard_quota';

const readingSchema = z.object({ provider: z.string(), windows: z.array(windowSchema) });

const newest = (windows: readonly { observedAt: number }[]) => windows.reduce((m, w) => Math.max(m, w.observedAt), 0);

/**
 * Quota readings shared by every instance: each instance publishes the windows it observed (from
 * response headers or polls) once a second when something is newer, and adopts readings other
 * instances published that are newer than its own. The newest observation wins everywhere, so a
 * meter shows the same "left" whichever instance the UI asks.
 */
export class QuotaSync {
  private readonly published = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private seenUpTo = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ready: Promise<unknown>,
    private readonly listener: Listener,
    private readonly onError: (err: Error) => void,
  ) {}

  start(book: QuotaBook, accounts: () => Iterable<{ id: string; provider: string }>, intervalMs = 1_000): void {
    this.listener.on(QUOTA_CHANNEL, () => void this.pull(book).catch(this.onError));
    this.listener.onReconnect(() => void this.pull(book).catch(this.onError));
    void this.ready.then(() => this.pull(book)).catch(() => undefined);
    this.timer = setInterval(() => void this.push(book, accounts).catch(this.onError), intervalMs);
    this.timer.unref();
  }

  /** Publish this instance's readings that are newer than what it last published. */
  async push(book: QuotaBook, accounts: () => Iterable<{ id: string; provider: string }>): Promise<number> {
    await this.ready;
    let n = 0;
    for (const a of accounts()) {
      const q = book.peek(a.id);
      if (!q || q.windows.length === 0) continue;
      const at = newest(q.windows);
      if (at <= (this.published.get(a.id) ?? 0)) continue;
      this.published.set(a.id, at);
      await this.pool.query(
        `INSERT INTO quota_readings (account_id, reading, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (account_id) DO UPDATE SET reading = EXCLUDED.reading, updated_at = EXCLUDED.updated_at
         WHERE quota_readings.updated_at < EXCLUDED.updated_at`,
        [a.id, JSON.stringify({ provider: a.provider, windows: q.windows }), at],
      );
      n++;
    }
    if (n) await this.pool.query('SELECT pg_notify($1, $2)', [QUOTA_CHANNEL, '']);
    return n;
  }

  /** Adopt readings from other instances that are newer than this one's. */
  async pull(book: QuotaBook): Promise<number> {
    await this.ready;
    const r = await this.pool.query<{ account_id: string; reading: unknown; updated_at: string }>(
      'SELECT account_id, reading, updated_at FROM quota_readings WHERE updated_at > $1',
      [this.seenUpTo],
    );
    let n = 0;
    for (const row of r.rows) {
      const at = Number(row.updated_at);
      this.seenUpTo = Math.max(this.seenUpTo, at);
      const p = readingSchema.safeParse(row.reading);
      if (!p.success) continue;
      const local = book.peek(row.account_id);
      if (local && newest(local.windows) >= at) continue;
      book.update(row.account_id, p.data.provider, p.data.windows as QuotaWindow[]);
      // What came from the store is not ours to publish again.
      this.published.set(row.account_id, Math.max(at, newest(book.peek(row.account_id)?.windows ?? [])));
      n++;
    }
    return n;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
