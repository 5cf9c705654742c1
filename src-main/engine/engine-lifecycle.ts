import type http from 'node:http';
import type { EngineState } from '../../src-shared/domain/status';
import type { AddressInfo, Socket } from 'node:net';

export interface Address {
  host: string;
  port: number;
}

/** While the listener is bound but not yet serving: the promise requests wait on (undefined once serving). */
export type ServingGate = () => Promise<void> | undefined;

export interface ListenerHooks {
  /** Runs before binding: the address to bind; may throw to refuse. */
  prepare(overrides: Partial<Address>): Promise<Address>;
  /**
   * What the first request needs (stores restored, accounts and model lists loaded). Runs once the
   * port is bound, so the port opens without waiting for it; requests wait for it (`gate`).
   */
  warm(): Promise<void>;
  /** The HTTP server to bind; created per start. Its handler holds each request while `gate()` is pending. */
  createServer(gate: ServingGate): http.Server;
  /** Called when the state changes (`starting`, `running`, `stopping`, `stopped`, `error`). */
  onState(state: EngineState): void;
  /** Once the engine serves, after the requests that waited for it have begun (background work that needs a running engine). */
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
  /** Bound but not serving yet: settles when the start does (after `warm`, the address set). */
  private gate?: Promise<void>;

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
    let serve!: () => void;
    let refuse!: (err: unknown) => void;
    const gate = new Promise<void>((resolve, reject) => ((serve = resolve), (refuse = reject)));
    gate.catch(() => undefined);
    this.gate = gate;
    const server = this.hooks.createServer(() => this.gate);
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
      // The port is open: what the first request needs loads now; requests wait for it (the gate).
      await this.hooks.warm();
    } catch (err) {
      this.gate = undefined;
      refuse(err);
      if (server.listening) await this.closeNow(server);
      this.hooks.onState('error');
      throw err;
    }
    this.server = server;
    const addr = server.address() as AddressInfo;
    const address = (this.address = { host, port: addr.port });
    this.hooks.onState('running');
    // Requests held by the gate run now, with the address known (host checks read it).
    this.gate = undefined;
    serve();
    // The background work (model-list sync, quota polling) starts after them; start() resolves then.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.server === server) this.hooks.afterListen();
    return address;
  }

  /** A start that failed after binding: release the port and cut whatever connected meanwhile. */
  private async closeNow(server: http.Server): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
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
