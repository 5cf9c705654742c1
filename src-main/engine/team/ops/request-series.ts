import type { RequestRecord } from '../../pipeline/types';

/**
 * Per-request metric sums, kept with one Map lookup per request. prom-client hashes and validates
 * the label object of every `inc`/`observe` (four times per request); here that happens once per
 * label set, when a scrape reads the sums (see metrics.ts).
 */

/** Label values come from clients (model names): keep them short and few. */
const label = (v: string | undefined) => (v ?? '').slice(0, 80);

export type SeriesLabels = { route: string; provider: string; model: string };

/** One histogram's counts for one label set, in prom-client's bucket semantics (value ≤ bound). */
export class Buckets {
  /** Per bound, not cumulative; values above every bound only count in `count`. */
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    // prom-client refuses a non-finite value; it is not a latency, so it is left out.
    if (!Number.isFinite(value)) return;
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) {
      if (value <= b[i]!) {
        this.counts[i]!++;
        break;
      }
    }
    this.sum += value;
    this.count++;
  }
}

export interface RequestSeries {
  labels: SeriesLabels;
  /** HTTP status → requests. */
  statuses: Map<string, number>;
  latency: Buckets;
  ttft: Buckets | undefined;
}

export class RequestSeriesBook {
  /** Keyed by route, provider and model (NUL-separated: a route or provider never holds NUL). */
  readonly series = new Map<string, RequestSeries>();
  /** Keyed by provider and error class. */
  readonly errors = new Map<string, { provider: string; kind: string; n: number }>();

  constructor(private readonly bounds: readonly number[]) {}

  observe(r: RequestRecord): void {
    const provider = r.provider ?? 'none';
    const model = label(r.requestedModel);
    const id = `${r.inboundFormat}\u0000${provider}\u0000${model}`;
    let s = this.series.get(id);
    if (!s) {
      s = { labels: { route: r.inboundFormat, provider, model }, statuses: new Map(), latency: new Buckets(this.bounds), ttft: undefined };
      this.series.set(id, s);
    }
    const status = String(r.status);
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    s.latency.observe(r.latencyMs / 1000);
    if (r.ttftMs !== undefined) (s.ttft ??= new Buckets(this.bounds)).observe(r.ttftMs / 1000);
    if (r.errorClass) {
      const eid = `${provider}\u0000${r.errorClass}`;
      const e = this.errors.get(eid);
      if (e) e.n++;
      else this.errors.set(eid, { provider, kind: r.errorClass, n: 1 });
    }
  }
}

/** A histogram value as prom-client's registry formats it (labels first, then the shared set). */
interface ExportValue {
  labels: Record<string, string | number>;
  sharedLabels: SeriesLabels;
  value: number;
  metricName: string;
}

/**
 * A histogram family read from the book at scrape time, in the shape prom-client's own Histogram
 * hands the registry (same lines, same order), so `/metrics` reads exactly as before.
 */
export class BookHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    private readonly pick: () => Iterable<{ labels: SeriesLabels; buckets: Buckets }>,
  ) {}

  getForPromString(): { name: string; help: string; type: string; values: ExportValue[]; aggregator: string } {
    const values: ExportValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, buckets } of this.pick()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += buckets.counts[i]!;
        values.push({ labels: { le }, sharedLabels: labels, value: acc, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: labels, value: buckets.count, metricName: bucket });
      values.push({ labels: {}, sharedLabels: labels, value: buckets.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: labels, value: buckets.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The JSON form (`getMetricsAsJSON`): shared labels folded into each value's labels. */
  get(): { name: string; help: string; type: string; values: Array<Omit<ExportValue, 'sharedLabels'>>; aggregator: string } {
    const data = this.getForPromString();
    return { ...data, values: data.values.map(({ sharedLabels, labels, ...v }) => ({ ...v, labels: { ...labels, ...sharedLabels } })) };
  }

  reset(): void {}
}
