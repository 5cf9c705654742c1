import client from 'prom-client';
import type { RequestRecord } from '../../pipeline/types';
import { BookHistogram, RequestSeriesBook, type Buckets, type SeriesLabels } from './request-series';

export interface MetricsDeps {
  accountStates: () => Iterable<{ provider: string; state: string }>;
  quotaLeft: () => Iterable<{ accountId: string; provider: string; window: string; leftPercent: number }>;
}

/**
 * Prometheus metrics of one engine, in its own registry (two engines in one process — tests, or
 * the desktop app restarting its engine — never collide): requests, latency and time to first
 * token by route/provider/model, upstream errors by kind, accounts by state, quota left per window.
 */
export class EngineMetrics {
  readonly registry = new client.Registry();
  /** Requests are summed here per request; the families below read the sums when scraped. */
  private readonly book: RequestSeriesBook;

  constructor(deps: MetricsDeps) {
    const registers = [this.registry];
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
    const book = (this.book = new RequestSeriesBook(buckets));
    new client.Counter({
      name: 'switchyard_requests_total',
      help: 'Client requests by inbound route, provider, model and HTTP status',
      labelNames: ['route', 'provider', 'model', 'status'],
      registers,
      collect() {
        this.reset();
        for (const s of book.series.values()) for (const [status, n] of s.statuses) this.inc({ ...s.labels, status }, n);
      },
    });
    // Registered as prom-client registers its own histograms: the registry asks for their values.
    const histogram = (name: string, help: string, pick: () => Iterable<{ labels: SeriesLabels; buckets: Buckets }>) =>
      this.registry.registerMetric(new BookHistogram(name, help, buckets, pick) as unknown as client.Metric);
    histogram('switchyard_request_duration_seconds', 'Whole request duration', function* () {
      for (const s of book.series.values()) yield { labels: s.labels, buckets: s.latency };
    });
    histogram('switchyard_time_to_first_token_seconds', 'Time from request to the first output byte sent to the client (streams)', function* () {
      for (const s of book.series.values()) if (s.ttft) yield { labels: s.labels, buckets: s.ttft };
    });
    new client.Counter({
      name: 'switchyard_upstream_errors_total',
      help: 'Failed requests by provider and error class',
      labelNames: ['provider', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const e of book.errors.values()) this.inc({ provider: e.provider, kind: e.kind }, e.n);
      },
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
    this.book.observe(r);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
