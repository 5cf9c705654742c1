import { useTranslation } from 'react-i18next';
import { useQuota } from '../../stores/quota';
import { useStatus } from '../../stores/status';
import { Async, Pill } from '../../components/ui';
import { AccountMeters } from '../quota/AccountMeters';

/**
 * The small window the tray icon opens: proxy state and every account's live meters, nothing
 * else. Same stores and events as the full window, so it updates without polling.
 */
export function TrayView() {
  const { t } = useTranslation();
  const q = useQuota();
  const status = useStatus((s) => s.status);
  // Key accounts report no windows; the tray keeps to what has a meter or needs attention.
  const shown = q.accounts.filter((a) => a.windows.length > 0 || a.status !== 'active');
  return (
    <div className="tray-view">
      <header className="tray-head">
        <strong>{t('app.name')}</strong>
        {status && <Pill tone={status.state === 'running' ? 'ok' : status.state === 'error' ? 'bad' : 'warn'}>{t(`state.${status.state}`)}</Pill>}
        <button type="button" className="btn btn-small btn-ghost push" onClick={() => q.refresh()} disabled={q.refreshing}>
          {t('app.refresh')}
        </button>
      </header>
      <Async loaded={q.loaded} error={q.error} empty={shown.length === 0} emptyText={t('quota.empty')} onRetry={q.load}>
        <ul className="account-quota-list">
          {shown.map((a) => (
            <li key={a.accountId} className="account-quota">
              <AccountMeters account={a} thresholds={q.thresholds} />
            </li>
          ))}
        </ul>
      </Async>
    </div>
  );
}
