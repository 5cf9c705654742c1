import { useTranslation } from 'react-i18next';
import type { LogEntry } from '../../../src-shared/domain';
import { useLogs, matches } from '../../stores/logs';
import { useAccounts } from '../../stores/accounts';
import { Async, Card, Modal, Pill } from '../../components/ui';
import { clock } from '../../components/format';

const statusTone = (e: LogEntry) => (e.errorClass || e.status >= 400 || e.status === 0 ? 'bad' : 'ok');

export function LogsPage() {
  const { t, i18n } = useTranslation();
  const l = useLogs();
  const providers = useAccounts((s) => s.providers);
  const shown = l.entries.filter((e) => matches(e, l.filters));
  const filtered = l.filters.text || l.filters.onlyErrors || l.filters.provider;
  return (
    <div className="page">
      <div className="page-head">
        <h1 className="page-title">{t('logs.title')}</h1>
        <button type="button" className="btn" onClick={() => l.setPaused(!l.paused)} aria-pressed={l.paused}>
          {l.paused ? t('logs.resume') : t('logs.pause')}
        </button>
      </div>
      <div className="toolbar row gap wrap">
        <label className="field field-inline grow">
          <span className="field-label">{t('logs.search')}</span>
          <input type="search" value={l.filters.text} onChange={(e) => l.setFilters({ text: e.target.value })} placeholder={t('logs.searchPlaceholder')} />
        </label>
        <label className="field field-inline">
          <span className="sr-only">{t('accounts.provider')}</span>
          <select value={l.filters.provider} onChange={(e) => l.setFilters({ provider: e.target.value })} aria-label={t('accounts.provider')}>
            <option value="">{t('logs.allProviders')}</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={l.filters.onlyErrors} onChange={(e) => l.setFilters({ onlyErrors: e.target.checked })} />
          {t('logs.onlyErrors')}
        </label>
      </div>
      <Card>
        <Async loaded={l.loaded} error={l.error} empty={shown.length === 0} emptyText={filtered ? t('logs.emptyFiltered') : t('logs.empty')} onRetry={l.load}>
          <div className="table-wrap">
            <table className="table table-log" data-testid="log-table">
              <thead>
                <tr>
                  <th scope="col">{t('logs.time')}</th>
                  <th scope="col">{t('logs.client')}</th>
                  <th scope="col">{t('logs.model')}</th>
                  <th scope="col">{t('logs.account')}</th>
                  <th scope="col">{t('logs.status')}</th>
                  <th scope="col" className="num">{t('logs.tokens')}</th>
                  <th scope="col" className="num">{t('logs.latency')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((e) => (
                  <tr key={e.id} tabIndex={0} className="clickable" onClick={() => l.select(e)} onKeyDown={(k) => (k.key === 'Enter' || k.key === ' ') && (k.preventDefault(), l.select(e))}>
                    <td className="small nowrap">{clock(e.time, i18n.language)}</td>
                    <td className="small">{e.clientKeyLabel ?? t('app.none')}</td>
                    <td className="mono small">
                      {e.requestedModel}
                      {e.upstreamModel && e.upstreamModel !== e.requestedModel && <span className="muted"> → {e.upstreamModel}</span>}
                    </td>
                    <td className="small ellipsis">{e.accountLabel ?? t('app.none')}</td>
                    <td>
                      <Pill tone={statusTone(e)}>{e.status || 'ERR'}</Pill>
                    </td>
                    <td className="num small">{e.inputTokens + e.outputTokens}</td>
                    <td className="num small">{Math.round(e.latencyMs)} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Async>
      </Card>
      {l.selected && <Detail entry={l.selected} onClose={() => l.select(null)} />}
    </div>
  );
}

const detailFields = ['time', 'id', 'clientKeyLabel', 'inboundFormat', 'requestedModel', 'upstreamModel', 'provider', 'accountLabel', 'status', 'errorClass', 'stream', 'inputTokens', 'outputTokens', 'reasoningTokens', 'cachedTokens', 'ttftMs', 'latencyMs'] as const;

function Detail(props: { entry: LogEntry; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const e = props.entry;
  const show = (k: (typeof detailFields)[number]) => {
    const v = e[k];
    if (v === null || v === undefined || v === '') return t('app.none');
    if (k === 'time') return new Date(e.time).toLocaleString(i18n.language);
    if (typeof v === 'boolean') return v ? t('logs.yes') : t('logs.no');
    return String(v);
  };
  return (
    <Modal open onOpenChange={(o) => !o && props.onClose()} title={t('logs.detail')} wide>
      <dl className="kv kv-detail">
        {detailFields.map((k) => (
          <div key={k} className="kv-row">
            <dt>{t(`logs.fields.${k}`)}</dt>
            <dd className={k === 'id' || k.endsWith('Model') ? 'mono small' : undefined}>{show(k)}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
