import client from 'prom-client';
import type { RequestRecord } from '../../pipeline/types';

export interface MetricsDeps {
  accountStates: () => Iterable<{ provider: string; state: string }>;
  quotaLeft: () => Iterable<{ accountId: string; provider: string; window: string; leftPercent: number }>;
}

/** Label values come from clients (model names): keep them short and few. */
const label = (v: string | undefined) => (v ?? '').slice(0, 80);

/**
 * Prometheus metrics of one engine, in its own registry (two engines in one process — tests, or
 * the desktop app restarting its engine — never collide): requests, latency and time to first
 * token by route/provider/model, upstream errors by kind, accounts by state, quota left per window.
 */
export class EngineMetrics {
  readonly registry = new client.Registry();
  private readonly requests: client.Counter<'route' | 'provider' | 'model' | 'status'>;
  private readonly latency: client.Histogram<'route' | 'provider' | 'model'>;
  private readonly ttft: client.Histogram<'route' | 'provider' | 'model'>;
  private readonly upstreamErrors: client.Counter<'provider' | 'kind'>;

  constructor(deps: MetricsDeps) {
    const registers = [this.registry];
    this.requests = new client.Counter({
      name: 'switchyard_requests_total',
      help: 'Client requests by inbound route, provider, model and HTTP status',
      labelNames: ['route', 'provider', 'model', 'status'],
      registers,
    });
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
    this.latency = new client.Histogram({
      name: 'switchyard_request_duration_seconds',
      help: 'Whole request duration',
      labelNames: ['route', 'provider', 'model'],
      buckets,
      registers,
    });
    this.ttft = new client.Histogram({
      name: 'switchyard_time_to_first_token_seconds',
      help: 'Time from request to the first output byte sent to the client (streams)',
      labelNames: ['route', 'provider', 'model'],
      buckets,
      registers,
    });
    this.upstreamErrors = new client.Counter({
      name: 'switchyard_upstream_errors_total',
      help: 'Failed requests by provider and error class',
      labelNames: ['provider', 'kind'],
      registers,
    });
    new client.Gauge({
      name: 'switchyard_accounts',
      help: 'Accounts by provider and state',
      labelNames: ['provider', 'state'],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, { provider: string; state: string; n: number }>();
        for (const a of deps.accountStates()) {
          const k = `${a.provider}\u0000${a.state}`;
          const c = counts.get(k) ?? { provider: a.provider, state: a.state, n: 0 };
          c.n++;
          counts.set(k, c);
        }
        for (const c of counts.values()) this.set({ provider: c.provider, state: c.state }, c.n);
      },
    });
    new client.Gauge({
      name: 'switchyard_quota_left_percent',
      help: 'Quota left per account and window (subscription accounts)',
      labelNames: ['account', 'provider', 'window'],
      registers,
      collect() {
        this.reset();
        for (const q of deps.quotaLeft()) this.set({ account: q.accountId, provider: q.provider, window: q.window }, q.leftPercent);
      },
    });
  }

  observe(r: RequestRecord): void {
    const labels = { route: r.inboundFormat, provider: r.provider ?? 'none', model: label(r.requestedModel) };
    this.requests.inc({ ...labels, status: String(r.status) });
    this.latency.observe(labels, r.latencyMs / 1000);
    if (r.ttftMs !== undefined) this.ttft.observe(labels, r.ttftMs / 1000);
    if (r.errorClass) this.upstreamErrors.inc({ provider: r.provider ?? 'none', kind: r.errorClass });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
