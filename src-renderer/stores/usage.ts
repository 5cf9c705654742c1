import { create } from 'zustand';
import type { SeriesPoint, UsageTotals } from '../../src-shared/domain';
import type { ContractClient } from '../api/client';
import { client, errorText } from './connection';

export type UsageRange = '24h' | '7d' | '30d';
export type UsageGroupBy = 'model' | 'account' | 'provider' | 'client';

const RANGE_MS: Record<UsageRange, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
const BUCKET: Record<UsageRange, 'hour' | 'day'> = { '24h': 'hour', '7d': 'day', '30d': 'day' };

interface UsageState {
  range: UsageRange;
  groupBy: UsageGroupBy;
  points: SeriesPoint[];
  /** The span and bucket the points were asked for (to draw empty buckets too). */
  span: { from: number; to: number; bucket: 'hour' | 'day' } | null;
  totals: UsageTotals | null;
  loaded: boolean;
  loading: boolean;
  error: string | null;
  connect(c: ContractClient): () => void;
  load(): Promise<void>;
  setRange(r: UsageRange): void;
  setGroupBy(g: UsageGroupBy): void;
}

export const useUsage = create<UsageState>()((set, get) => {
  let pending: ReturnType<typeof setTimeout> | undefined;
  return {
    range: '24h',
    groupBy: 'model',
    points: [],
    span: null,
    totals: null,
    loaded: false,
    loading: false,
    error: null,
    connect(c) {
      void get().load();
      // New traffic: re-query the rollup, at most once a second (charts move without a reload).
      const off = c.on('app:logs:request-logged', () => {
        pending ??= setTimeout(() => {
          pending = undefined;
          void get().load();
        }, 1000);
      });
      return () => {
        off();
        clearTimeout(pending);
        pending = undefined;
      };
    },
    async load() {
      const { range, groupBy } = get();
      const to = Date.now() + 1;
      const from = to - RANGE_MS[range];
      set({ loading: true });
      try {
        const c = client();
        const utcOffsetMinutes = -new Date().getTimezoneOffset();
        const [series, totals] = await Promise.all([
          c.call('app:usage:series', { from, to, bucket: BUCKET[range], groupBy, utcOffsetMinutes }),
          c.call('app:usage:totals', { from, to }),
        ]);
        set({ points: series.points, span: { from, to, bucket: BUCKET[range] }, totals, loaded: true, error: null });
      } catch (e) {
        set({ error: errorText(e), loaded: true });
      } finally {
        set({ loading: false });
      }
    },
    setRange(range) {
      set({ range });
      void get().load();
    },
    setGroupBy(groupBy) {
      set({ groupBy });
      void get().load();
    },
  };
});

export interface ChartRow {
  t: number;
  [key: string]: number;
}

/** Pivot points into one row per bucket with a column per key (what recharts stacks). */
export function pivot(points: SeriesPoint[], metric: 'requests' | 'totalTokens' | 'errors', topN = 6): { rows: ChartRow[]; keys: string[]; labels: Record<string, string> } {
  const weight = new Map<string, number>();
  const labels: Record<string, string> = {};
  for (const p of points) {
    weight.set(p.key, (weight.get(p.key) ?? 0) + p[metric]);
    labels[p.key || '(none)'] = p.label || p.key || '(none)';
  }
  const ranked = [...weight.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k || '(none)');
  const keys = ranked.slice(0, topN);
  const other = ranked.length > topN;
  if (other) {
    keys.push('(other)');
    labels['(other)'] = '…';
  }
  const rows = new Map<number, ChartRow>();
  for (const p of points) {
    // Every key in every row (zero when absent) so stacked areas have no gaps.
    const row = rows.get(p.bucketStart) ?? Object.fromEntries([['t', p.bucketStart], ...keys.map((k) => [k, 0])]);
    const k = keys.includes(p.key || '(none)') ? p.key || '(none)' : '(other)';
    row[k] += p[metric];
    rows.set(p.bucketStart, row);
  }
  return { rows: [...rows.values()].sort((a, b) => a.t - b.t), keys, labels };
}

/** Error rate and average latency per bucket across all keys. */
export function healthRows(points: SeriesPoint[]): Array<{ t: number; errorRate: number; latency: number }> {
  const agg = new Map<number, { req: number; err: number; lat: number }>();
  for (const p of points) {
    const a = agg.get(p.bucketStart) ?? { req: 0, err: 0, lat: 0 };
    a.req += p.requests;
    a.err += p.errors;
    a.lat += p.avgLatencyMs * p.requests;
    agg.set(p.bucketStart, a);
  }
  return [...agg.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, a]) => ({ t, errorRate: a.req ? Math.round((a.err / a.req) * 1000) / 10 : 0, latency: a.req ? Math.round(a.lat / a.req) : 0 }));
}

/**
 * Every bucket start from `from` to `to` (local hours or local days), so a quiet hour is a zero on
 * the axis instead of a gap that makes 8 PM sit next to 1 AM.
 */
export function bucketStarts(from: number, to: number, bucket: 'hour' | 'day'): number[] {
  const d = new Date(from);
  if (bucket === 'hour') d.setMinutes(0, 0, 0);
  else d.setHours(0, 0, 0, 0);
  const out: number[] = [];
  while (d.getTime() < to && out.length < 1000) {
    out.push(d.getTime());
    if (bucket === 'hour') d.setHours(d.getHours() + 1);
    else d.setDate(d.getDate() + 1);
  }
  return out;
}

/** Rows for every bucket start, zero-filled for every key. */
export function fillRows<R extends { t: number }>(rows: R[], starts: number[], empty: (t: number) => R): R[] {
  const by = new Map(rows.map((r) => [r.t, r]));
  const all = starts.map((t) => by.get(t) ?? empty(t));
  // Points that do not sit on a computed start (a DST edge) are kept, in order.
  for (const r of rows) if (!starts.includes(r.t)) all.push(r);
  return all.sort((a, b) => a.t - b.t);
}
