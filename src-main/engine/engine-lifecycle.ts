import type http from 'node:http';
import type { EngineState } from '../../src-shared/domain/status';
import type { AddressInfo, Socket } from 'node:net';

export interface Address {
  host: string;
  port: number;
}

export interface ListenerHooks {
  /** Runs before binding (stores restored, accounts and model lists loaded); may throw to refuse. */
  prepare(overrides: Partial<Address>): Promise<Address>;
  /** The HTTP server to bind; created per start. */
  createServer(): http.Server;
  /** Called when the state changes (`starting`, `running`, `stopping`, `stopped`, `error`). */
  onState(state: EngineState): void;
  /** After the listener is bound (background work that needs a running engine). */
  afterListen(): void;
  /** Before the listener closes (e.g. close upgraded WebSockets). */
  beforeClose(): void;
}

/**
 * The engine's HTTP listener: single-flight start, graceful stop. Holds the server and its open
 * sockets so a stop can cut the connections still busy after the grace period.
 */
export class EngineListener {
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  private address?: Address;
  /** The start in flight: concurrent starts share it (one listener, one result). */
  private starting?: Promise<Address>;

  constructor(private readonly hooks: ListenerHooks) {}

  get listening(): Address | undefined {
    return this.address;
  }

  /**
   * Bind and serve. Rejects with EADDRINUSE etc. (state becomes `error`). Single-flight: a
   * start while one is in flight (app launch and the tray's Start while the keychain loads)
   * gets the same listener, never a second one.
   */
  start(overrides: Partial<Address> = {}): Promise<Address> {
    if (this.server && this.address) return Promise.resolve(this.address);
    this.starting ??= this.listen(overrides).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async listen(overrides: Partial<Address>): Promise<Address> {
    const { host, port } = await this.hooks.prepare(overrides);
    this.hooks.onState('starting');
    const server = this.hooks.createServer();
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.hooks.onState('error');
      throw err;
    }
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.address = { host, port: addr.port };
    this.hooks.onState('running');
    this.hooks.afterListen();
    return this.address;
  }

  /** Stop accepting, let in-flight requests finish for up to `graceMs`, then cut them. */
  async stop(graceMs = 10_000): Promise<void> {
    // A start in flight would bind after we looked: let it finish, then stop what it opened.
    if (this.starting) await this.starting.catch(() => undefined);
    const server = this.server;
    if (!server) return;
    this.hooks.onState('stopping');
    this.server = undefined;
    this.hooks.beforeClose();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
    this.address = undefined;
    this.hooks.onState('stopped');
  }
}
