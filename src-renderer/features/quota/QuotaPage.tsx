import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuota } from '../../stores/quota';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { Async, Card, Meter, Pill } from '../../components/ui';
import { until } from '../../components/format';
import { errorText } from '../../stores/connection';
import { alertWindowLabel, pools, windowLabel } from './pool';
import { useNow } from './QuotaRow';
import { AccountMeters } from './AccountMeters';
import { coolingReason } from '../accounts/AccountTable';
import { isKeyAccount, keyLines, KeyProviderList } from './key-lines';

export function QuotaPage() {
  const { t } = useTranslation();
  const q = useQuota();
  const now = useNow();
  const summaries = new Map(useAccounts((s) => s.accounts).map((a) => [a.id, a]));
  const resetCooldown = useAccounts((s) => s.resetCooldown);
  const subs = q.accounts.filter((a) => !isKeyAccount(a, summaries));
  const keys = keyLines(q.accounts.filter((a) => isKeyAccount(a, summaries)));
  const pooled = pools(subs);
  return (
    <div className="page">
      <div className="page-head">
        <h1 className="page-title">{t('quota.title')}</h1>
        <button type="button" className="btn" onClick={() => q.refresh()} disabled={q.refreshing}>
          {t('quota.refreshAll')}
        </button>
      </div>
      <Async loaded={q.loaded} error={q.error} empty={q.accounts.length === 0} emptyText={t('quota.empty')} onRetry={q.load}>
        {pooled.length > 0 && (
          <Card id="pools" title={t('quota.pools')}>
            <ul className="pool-grid">
              {pooled.map((p) => (
                <li key={p.key} className="pool">
                  <div className="pool-name">
                    <span className="provider-tag">{p.provider}</span> {windowLabel(t, p.window)}
                  </div>
                  <Meter left={p.left} warn={q.thresholds.warnPercentLeft} critical={q.thresholds.criticalPercentLeft} label={`${p.provider} · ${windowLabel(t, p.window)}`} valueText={t('quota.left', { left: p.left })} />
                  <div className="muted small">
                    {t('quota.poolLine', { left: p.left, count: p.accounts })}
                    {p.earliestResetAt ? ` · ${t('quota.earliestReset', { time: t('time.in', { t: until(t, p.earliestResetAt, now) }) })}` : ''}
                  </div>
                </li>
              ))}
            </ul>
          </Card>
        )}
        <Card id="per-account" title={t('quota.perAccount')}>
          {subs.length === 0 && <p className="muted">{t('quota.noSubscriptions')}</p>}
          <ul className="account-quota-list">
            {subs.map((a) => (
              <li key={a.accountId} className="account-quota" data-testid={`quota-${a.accountId}`}>
                <AccountMeters
                  account={a}
                  summary={summaries.get(a.accountId)}
                  thresholds={q.thresholds}
                  actions={
                    <>
                    {a.status === 'cooling' && (
                      <button type="button" className="btn btn-small push" onClick={() => void resetCooldown(a.accountId)} aria-label={t('accounts.resetFor', { label: a.label })} title={coolingReason(t, summaries.get(a.accountId)?.coolingReason)}>
                        {t('accounts.reset')}
                      </button>
                    )}
                    <button type="button" className={`btn btn-small btn-ghost ${a.status === 'cooling' ? '' : 'push'}`} onClick={() => q.refresh(a.accountId)} disabled={q.refreshing} aria-label={`${t('app.refresh')} ${a.label}`}>
                      {t('app.refresh')}
                    </button>
                    </>
                  }
                />
              </li>
            ))}
          </ul>
        </Card>
        {keys.length > 0 && (
          <Card id="key-providers" title={t('quota.keyProviders')}>
            <p className="muted small">{t('quota.keyProvidersIntro')}</p>
            <KeyProviderList lines={keys} counts={q.byProvider} />
          </Card>
        )}
        <Thresholds />
        {q.alerts.length > 0 && (
          <Card id="alerts" title={t('quota.alerts')}>
            <ul className="plain-list">
              {q.alerts.map((a, i) => (
                <li key={i}>
                  <Pill tone={a.level === 'critical' ? 'bad' : a.level === 'warn' ? 'warn' : 'ok'}>{t(`quota.levels.${a.level}`)}</Pill> {a.label} · {alertWindowLabel(t, a.windowId, a.windowLabel)} · {t('quota.left', { left: Math.round(a.percentLeft) })}
                </li>
              ))}
            </ul>
          </Card>
        )}
      </Async>
    </div>
  );
}

function Thresholds() {
  const { t } = useTranslation();
  const { thresholds, setThresholds } = useQuota();
  const toast = useUi((s) => s.toast);
  const [warn, setWarn] = useState(String(thresholds.warnPercentLeft));
  const [critical, setCritical] = useState(String(thresholds.criticalPercentLeft));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await setThresholds({ warnPercentLeft: Number(warn), criticalPercentLeft: Number(critical) });
      toast('success', t('settings.saved'));
    } catch (err) {
      toast('error', errorText(err));
    }
  };
  return (
    <Card id="thresholds" title={t('quota.thresholds')}>
      <form className="row gap wrap" onSubmit={submit}>
        <label className="field field-inline">
          <span className="field-label">{t('quota.warn')}</span>
          <input type="number" min={0} max={100} value={warn} onChange={(e) => setWarn(e.target.value)} className="input-narrow" />
        </label>
        <label className="field field-inline">
          <span className="field-label">{t('quota.critical')}</span>
          <input type="number" min={0} max={100} value={critical} onChange={(e) => setCritical(e.target.value)} className="input-narrow" />
        </label>
        <button type="submit" className="btn">
          {t('app.save')}
        </button>
      </form>
    </Card>
  );
}
