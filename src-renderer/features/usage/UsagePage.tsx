import { useTranslation } from 'react-i18next';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useUsage, pivot, healthRows, bucketStarts, fillRows, type ChartRow, type UsageGroupBy, type UsageRange } from '../../stores/usage';
import { DataTable } from './DataTable';
import { Costs } from './Costs';
import { Async, Card } from '../../components/ui';
import { compact } from '../../components/format';

/** Colours that read on both themes (checked against the light and dark backgrounds). */
const palette = ['#4f7cff', '#f59e0b', '#10b981', '#ef4444', '#a855f7', '#06b6d4', '#94a3b8'];

export function UsagePage() {
  const { t, i18n } = useTranslation();
  const u = useUsage();
  const hourly = u.range === '24h';
  // Hours as "14:00", days as "Dec 4"; the tooltip adds the date to hours ("Dec 4, 14:00").
  const tick = (v: number) => new Date(v).toLocaleString(i18n.language, hourly ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { month: 'short', day: 'numeric' });
  const label = (v: unknown) =>
    new Date(Number(v)).toLocaleString(i18n.language, hourly ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { month: 'short', day: 'numeric', year: 'numeric' });
  const starts = u.span ? bucketStarts(u.span.from, u.span.to, u.span.bucket) : [];
  const named = (p: ReturnType<typeof pivot>) => {
    const labels = { ...p.labels };
    if ('(other)' in labels) labels['(other)'] = t('usage.other');
    if ('(none)' in labels) labels['(none)'] = t('usage.none');
    const rows = fillRows(p.rows, starts, (tt) => Object.fromEntries([['t', tt], ...p.keys.map((k) => [k, 0])]) as ChartRow);
    return { ...p, labels, rows };
  };
  const req = named(pivot(u.points, 'requests'));
  const tok = named(pivot(u.points, 'totalTokens'));
  const health = fillRows(healthRows(u.points), starts, (tt) => ({ t: tt, errorRate: 0, latency: 0 }));
  const legend = { wrapperStyle: { fontSize: 12 }, formatter: (v: string) => <span className="legend-text">{v}</span> };
  const yTitle = (value: string, side: 'left' | 'right' = 'left') => ({ value, angle: side === 'left' ? -90 : 90, position: side === 'left' ? ('insideLeft' as const) : ('insideRight' as const), style: { fill: 'var(--muted)', fontSize: 11, textAnchor: 'middle' as const } });
  // One colour per key across charts, in request order, so a model keeps its colour everywhere.
  const colours = new Map<string, string>();
  for (const k of [...req.keys, ...tok.keys]) if (!colours.has(k)) colours.set(k, palette[colours.size % palette.length]);
  const colour = (k: string) => colours.get(k) ?? palette[0];
  const totals = u.totals;
  const axis = { stroke: 'var(--muted)', fontSize: 11 };
  const tooltip = { contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)', fontSize: 12 }, labelFormatter: label };
  return (
    <div className="page">
      <div className="page-head">
        <h1 className="page-title">{t('usage.title')}</h1>
        <div className="row gap wrap">
          {/* A choice of range, not tabs: there is one panel whatever is chosen. */}
          <div className="tab-list seg" role="group" aria-label={t('usage.range')}>
            {(['24h', '7d', '30d'] as const).map((r) => (
              <button key={r} type="button" className="tab" data-state={u.range === r ? 'active' : 'inactive'} aria-pressed={u.range === r} onClick={() => u.setRange(r as UsageRange)}>
                {t(`usage.ranges.${r}`)}
              </button>
            ))}
          </div>
          <label className="field field-inline">
            <span className="field-label">{t('usage.groupBy')}</span>
            <select value={u.groupBy} onChange={(e) => u.setGroupBy(e.target.value as UsageGroupBy)}>
              {(['model', 'account', 'provider', 'client'] as const).map((g) => (
                <option key={g} value={g}>
                  {t(`usage.groups.${g}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {totals && (
        <div className="stats stats-row">
          <Tile label={t('usage.requests')} value={compact(totals.requests, i18n.language)} testId="usage-total-requests" />
          <Tile label={t('usage.tokens')} value={compact(totals.totalTokens, i18n.language)} />
          <Tile label={t('usage.errorRate')} value={totals.requests ? `${Math.round((totals.errors / totals.requests) * 1000) / 10}` : '0'} />
          <Tile label={t('usage.avgLatency')} value={`${Math.round(totals.avgLatencyMs)} ms`} />
          <Tile label={t('usage.ttft')} value={`${Math.round(totals.avgTtftMs)} ms`} />
        </div>
      )}
      <Async loaded={u.loaded} error={u.error} empty={u.points.length === 0} emptyText={t('usage.empty')} onRetry={u.load}>
        <Card id="chart-requests" title={t('usage.requests')}>
          <div className="chart" data-testid="chart-requests">
            <ResponsiveContainer width="100%" height={200}>
              <BarChart data={req.rows}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />
                <XAxis dataKey="t" tickFormatter={tick} {...axis} />
                <YAxis allowDecimals={false} width={52} label={yTitle(t('usage.requests'))} {...axis} />
                <Tooltip {...tooltip} cursor={{ fill: 'var(--hover)' }} />
                <Legend {...legend} />
                {req.keys.map((k) => (
                  <Bar key={k} dataKey={k} name={req.labels[k]} stackId="a" fill={colour(k)} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <DataTable caption={t('usage.requests')} rows={req.rows} keys={req.keys} labels={req.labels} when={label} />
        </Card>
        <Card id="chart-tokens" title={t('usage.tokens')}>
          <div className="chart">
            <ResponsiveContainer width="100%" height={200}>
              <AreaChart data={tok.rows}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />
                <XAxis dataKey="t" tickFormatter={tick} {...axis} />
                <YAxis width={60} tickFormatter={(v: number) => compact(v, i18n.language)} label={yTitle(t('usage.tokens'))} {...axis} />
                <Tooltip {...tooltip} />
                <Legend {...legend} />
                {tok.keys.map((k) => (
                  <Area key={k} dataKey={k} name={tok.labels[k]} stackId="a" stroke={colour(k)} fill={colour(k)} fillOpacity={0.35} isAnimationActive={false} />
                ))}
              </AreaChart>
            </ResponsiveContainer>
          </div>
          <DataTable caption={t('usage.tokens')} rows={tok.rows} keys={tok.keys} labels={tok.labels} when={label} />
        </Card>
        <Card id="chart-health" title={t('usage.health')}>
          <div className="chart">
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={health}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />
                <XAxis dataKey="t" tickFormatter={tick} {...axis} />
                <YAxis yAxisId="l" width={52} label={yTitle(t('usage.errorRate'))} {...axis} />
                <YAxis yAxisId="r" orientation="right" width={60} label={yTitle(t('usage.latency'), 'right')} {...axis} />
                <Tooltip {...tooltip} />
                <Legend {...legend} />
                <Line yAxisId="l" dataKey="errorRate" name={t('usage.errorRate')} stroke="#ef4444" dot={false} isAnimationActive={false} />
                <Line yAxisId="r" dataKey="latency" name={t('usage.latency')} stroke="#4f7cff" dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Costs />
      </Async>
    </div>
  );
}

function Tile(props: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-value" data-testid={props.testId}>
        {props.value}
      </div>
      <div className="stat-label">{props.label}</div>
    </div>
  );
}
