import { Agent, ProxyAgent, type Dispatcher } from 'undici';

export interface DispatcherOptions {
  connectTimeoutMs: number;
  /** Longest silence between two body chunks before the upstream counts as timed out. */
  bodyTimeoutMs: number;
  headersTimeoutMs: number;
}

/**
 * Keep-alive pools, one undici Agent per proxy setting (the Agent pools per origin itself).
 * Rebuilt only when the options change, so config reloads keep warm connections.
 */
export class DispatcherPool {
  private readonly agents = new Map<string, Dispatcher>();

  constructor(private options: DispatcherOptions) {}

  get(proxyUrl?: string): Dispatcher {
    const key = proxyUrl ?? '';
    let agent = this.agents.get(key);
    if (!agent) {
      const common = {
        connect: { timeout: this.options.connectTimeoutMs },
        bodyTimeout: this.options.bodyTimeoutMs,
        headersTimeout: this.options.headersTimeoutMs,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connections: 256,
        pipelining: 1,
      };
      agent = key ? new ProxyAgent({ uri: key, ...common }) : new Agent(common);
      this.agents.set(key, agent);
    }
    return agent;
  }

  reconfigure(options: DispatcherOptions): void {
    const same =
      options.connectTimeoutMs === this.options.connectTimeoutMs &&
      options.bodyTimeoutMs === this.options.bodyTimeoutMs &&
      options.headersTimeoutMs === this.options.headersTimeoutMs;
    if (same) return;
    this.options = options;
    const old = [...this.agents.values()];
    this.agents.clear();
    // In-flight requests keep their agent; close it once they are done.
    for (const a of old) void a.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(all.map((a) => a.destroy().catch(() => undefined)));
  }
}
