import { useTranslation } from 'react-i18next';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useUsage, pivot, healthRows, type UsageGroupBy, type UsageRange } from '../../stores/usage';
import { Async, Card } from '../../components/ui';
import { compact } from '../../components/format';

/** Colours that read on both themes (checked against the light and dark backgrounds). */
const palette = ['#4f7cff', '#f59e0b', '#10b981', '#ef4444', '#a855f7', '#06b6d4', '#94a3b8'];

export function UsagePage() {
  const { t, i18n } = useTranslation();
  const u = useUsage();
  const hourly = u.range === '24h';
  const tick = (v: number) => new Date(v).toLocaleString(i18n.language, hourly ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' });
  const label = (v: unknown) => new Date(Number(v)).toLocaleString(i18n.language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const req = pivot(u.points, 'requests');
  const tok = pivot(u.points, 'totalTokens');
  const health = healthRows(u.points);
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
                <YAxis allowDecimals={false} width={40} {...axis} />
                <Tooltip {...tooltip} cursor={{ fill: 'var(--hover)' }} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {req.keys.map((k) => (
                  <Bar key={k} dataKey={k} name={req.labels[k]} stackId="a" fill={colour(k)} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card id="chart-tokens" title={t('usage.tokens')}>
          <div className="chart">
            <ResponsiveContainer width="100%" height={200}>
              <AreaChart data={tok.rows}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />
                <XAxis dataKey="t" tickFormatter={tick} {...axis} />
                <YAxis width={48} tickFormatter={(v: number) => compact(v, i18n.language)} {...axis} />
                <Tooltip {...tooltip} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {tok.keys.map((k) => (
                  <Area key={k} dataKey={k} name={tok.labels[k]} stackId="a" stroke={colour(k)} fill={colour(k)} fillOpacity={0.35} isAnimationActive={false} />
                ))}
              </AreaChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card id="chart-health" title={t('usage.health')}>
          <div className="chart">
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={health}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />
                <XAxis dataKey="t" tickFormatter={tick} {...axis} />
                <YAxis yAxisId="l" width={40} {...axis} />
                <YAxis yAxisId="r" orientation="right" width={48} {...axis} />
                <Tooltip {...tooltip} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Line yAxisId="l" dataKey="errorRate" name={t('usage.errorRate')} stroke="#ef4444" dot={false} isAnimationActive={false} />
                <Line yAxisId="r" dataKey="latency" name={t('usage.latency')} stroke="#4f7cff" dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </Card>
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
