import { useTranslation } from 'react-i18next';
import { useQuota } from '../../stores/quota';
import { useStatus } from '../../stores/status';
import { useAccounts } from '../../stores/accounts';
import { Async, CopyButton, Meter, Pill } from '../../components/ui';
import { until } from '../../components/format';
import { stateTone } from '../dashboard/state-tone';
import { isBalance, percentLeft, windowLabel } from '../quota/pool';
import { useNow } from '../quota/QuotaRow';
import { isKeyAccount, keyLines, KeyProviderList } from '../quota/key-lines';
import { statusTone } from '../accounts/status';
import { openMainApp } from './open-app';

/**
 * The small window the tray icon opens (340×420): the proxy's state with Start/Stop, Copy URL and
 * Open app, then one line per subscription account with its tightest window. API keys come last,
 * one line per provider, so they never push a subscription out of view.
 */
export function TrayView() {
  const { t } = useTranslation();
  const q = useQuota();
  const now = useNow();
  const { status, busy, act } = useStatus();
  const summaries = new Map(useAccounts((s) => s.accounts).map((a) => [a.id, a]));
  const subs = q.accounts.filter((a) => !isKeyAccount(a, summaries));
  const keys = keyLines(q.accounts.filter((a) => isKeyAccount(a, summaries)));
  const running = status?.state === 'running';
  const headless = status?.mode === 'headless';
  const base = status?.baseUrl ?? (status ? `http://${status.host}:${status.port}` : '');
  return (
    <main className="tray-view" aria-label={t('tray.title')}>
      <header className="tray-head">
        <strong>{t('app.name')}</strong>
        {status && (
          <Pill tone={stateTone(status.state)}>
            <span data-testid="tray-state">{t(`state.${status.state}`)}</span>
          </Pill>
        )}
      </header>
      <div className="tray-actions">
        {!headless &&
          (running ? (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => act('stop')}>
              {t('dashboard.stop')}
            </button>
          ) : (
            <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => act('start')}>
              {t('dashboard.start')}
            </button>
          ))}
        {base && <CopyButton value={base} label={t('dashboard.baseUrl')} text={t('tray.copyUrl')} />}
        <button type="button" className="btn btn-small" onClick={openMainApp}>
          {t('tray.openApp')}
        </button>
      </div>
      <Async loaded={q.loaded} error={q.error} empty={q.accounts.length === 0} emptyText={t('quota.empty')} onRetry={q.load}>
        <ul className="tray-accounts">
          {subs.map((a) => {
            const tight = a.windows.filter((w) => !isBalance(w)).sort((x, y) => percentLeft(x) - percentLeft(y))[0];
            const left = tight ? Math.round(percentLeft(tight)) : null;
            return (
              <li key={a.accountId} className="tray-account" data-testid={`tray-${a.accountId}`}>
                <div className="tray-line">
                  <span className="provider-tag">{a.provider}</span>
                  <span className="ellipsis grow">{a.label}</span>
                  {a.status !== 'active' ? (
                    <Pill tone={statusTone(a.status)}>{t(`accounts.statuses.${a.status === 'cooling' ? 'coolingShort' : a.status}`)}</Pill>
                  ) : left !== null ? (
                    <span className="quota-pct">{t('quota.left', { left })}</span>
                  ) : (
                    <span className="muted small">{t('quota.noWindows')}</span>
                  )}
                </div>
                {tight && left !== null && (
                  <>
                    <Meter left={left} warn={q.thresholds.warnPercentLeft} critical={q.thresholds.criticalPercentLeft} label={`${a.label} · ${windowLabel(t, tight)}`} valueText={t('quota.left', { left })} />
                    <div className="muted small">
                      {windowLabel(t, tight)} · {tight.resetAt ? t('quota.resetsIn', { time: until(t, tight.resetAt, now) }) : t('quota.resetUnknown')}
                    </div>
                  </>
                )}
              </li>
            );
          })}
        </ul>
        {keys.length > 0 && <KeyProviderList lines={keys} counts={q.byProvider} compactView />}
      </Async>
    </main>
  );
}
