import { useTranslation } from 'react-i18next';
import type { LogEntry } from '../../../src-shared/domain';
import { useLogs, matches } from '../../stores/logs';
import { useAccounts } from '../../stores/accounts';
import { Async, Card, Modal, Pill } from '../../components/ui';
import { clock, keyName, providerName } from '../../components/format';

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
                {providerName(t, p.displayName)}
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
                  <th scope="col" className="col-opt">{t('logs.client')}</th>
                  <th scope="col">{t('logs.model')}</th>
                  <th scope="col">{t('logs.account')}</th>
                  <th scope="col">{t('logs.status')}</th>
                  <th scope="col" className="num col-opt">{t('logs.tokens')}</th>
                  <th scope="col" className="num col-opt">{t('logs.latency')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((e) => (
                  <tr key={e.id} tabIndex={0} className="clickable" onClick={() => l.select(e)} onKeyDown={(k) => (k.key === 'Enter' || k.key === ' ') && (k.preventDefault(), l.select(e))}>
                    <td className="small nowrap">{clock(e.time, i18n.language)}</td>
                    <td className="small col-opt">{keyName(t, e.clientKeyLabel)}</td>
                    <td className="mono small">
                      {e.requestedModel}
                      {e.upstreamModel && e.upstreamModel !== e.requestedModel && <span className="muted"> → {e.upstreamModel}</span>}
                    </td>
                    <td className="small ellipsis">{e.accountLabel ?? t('app.none')}</td>
                    <td>
                      <Pill tone={statusTone(e)}>{e.status || 'ERR'}</Pill>
                    </td>
                    <td className="num small col-opt">{e.inputTokens + e.outputTokens}</td>
                    <td className="num small col-opt">{Math.round(e.latencyMs)} ms</td>
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

/** Why it failed, from the upstream's own answer: status, message, retry time, every account tried. */
function Failure(props: { entry: LogEntry }) {
  const { t, i18n } = useTranslation();
  const e = props.entry;
  const failed = e.errorClass || e.status >= 400 || e.status === 0;
  if (!failed && !e.tried?.length) return null;
  return (
    <section className="failure" aria-labelledby="failure-title" data-testid="log-failure">
      <h3 id="failure-title" className="section-title">
        {failed ? t('logs.failure') : t('logs.route')}
      </h3>
      {failed && (
        <p data-testid="upstream-message">
          <strong>{e.upstreamStatus ? t('logs.upstreamSaid', { status: e.upstreamStatus }) : t('logs.failedWith', { error: e.errorClass ?? e.status })}</strong>{' '}
          <span className="mono small">{e.upstreamMessage ?? t('logs.noMessage')}</span>
        </p>
      )}
      {e.retryAt && <p className="small">{t('logs.retryAt', { time: new Date(e.retryAt).toLocaleString(i18n.language) })}</p>}
      {e.tried && e.tried.length > 0 && (
        <table className="table table-compact" data-testid="tried">
          <caption className="sr-only">{t('logs.tried')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('logs.account')}</th>
              <th scope="col">{t('logs.outcome')}</th>
              <th scope="col">{t('logs.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {e.tried.map((x, i) => (
              <tr key={`${x.accountId}-${i}`}>
                <td className="small">
                  <span className="provider-tag">{x.provider}</span> {x.accountLabel ?? x.accountId}
                </td>
                <td>
                  <Pill tone={x.outcome === 'ok' ? 'ok' : x.outcome === 'failed' ? 'bad' : 'muted'}>
                    {t(`logs.outcomes.${x.outcome}`)}
                    {x.status ? ` ${x.status}` : ''}
                  </Pill>
                </td>
                <td className="small">{x.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Detail(props: { entry: LogEntry; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const e = props.entry;
  const show = (k: (typeof detailFields)[number]) => {
    const v = e[k];
    if (v === null || v === undefined || v === '') return t('app.none');
    if (k === 'time') return new Date(e.time).toLocaleString(i18n.language);
    if (k === 'clientKeyLabel') return keyName(t, e.clientKeyLabel);
    if (typeof v === 'boolean') return v ? t('logs.yes') : t('logs.no');
    return String(v);
  };
  return (
    <Modal open onOpenChange={(o) => !o && props.onClose()} title={t('logs.detail')} wide>
      <Failure entry={e} />
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
