import type pg from 'pg';
import { loadPg } from './pool';

/**
 * LISTEN on one dedicated connection and call back per channel. The connection is re-opened
 * after the database restarts (with a short back-off), and `onReconnect` lets owners reload what
 * they may have missed meanwhile. Payloads are never trusted: they only say "look again".
 */
export class Listener {
  private client?: pg.Client;
  private closed = false;
  private retryTimer?: NodeJS.Timeout;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private readonly reconnectHandlers = new Set<() => void>();

  constructor(
    private readonly url: string,
    private readonly onError: (err: Error) => void,
  ) {}

  on(channel: string, cb: (payload: string) => void): void {
    let set = this.handlers.get(channel);
    if (!set) {
      this.handlers.set(channel, (set = new Set()));
      // A channel added after the connection is up must be listened to now, not at the next reconnect.
      void this.client?.query(`LISTEN ${loadPg().escapeIdentifier(channel)}`).catch((err: Error) => this.onError(err));
    }
    set.add(cb);
  }

  onReconnect(cb: () => void): void {
    this.reconnectHandlers.add(cb);
  }

  async start(): Promise<void> {
    await this.connect(false);
  }

  private async connect(isReconnect: boolean): Promise<void> {
    if (this.closed) return;
    const client = new (loadPg().Client)({ connectionString: this.url, connectionTimeoutMillis: 3_000 });
    client.on('error', (err) => {
      this.onError(err);
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    client.on('notification', (n) => {
      for (const cb of this.handlers.get(n.channel) ?? []) cb(n.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${loadPg().escapeIdentifier(channel)}`);
      this.client = client;
      if (isReconnect) for (const cb of this.reconnectHandlers) cb();
    } catch (err) {
      this.onError(err as Error);
      this.scheduleReconnect(client);
    }
  }

  private scheduleReconnect(client: pg.Client): void {
    if (this.closed || this.retryTimer || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(true);
    }, 500);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  }
}
