import { useTranslation } from 'react-i18next';
import type { AccountSummary } from '../../../src-shared/domain';
import { Pill } from '../../components/ui';
import type { useQuota } from '../../stores/quota';
import { statusTone } from '../accounts/status';
import { QuotaRow } from './QuotaRow';
import { isBalance } from './pool';

type QuotaState = ReturnType<typeof useQuota.getState>;

/**
 * One account's head line and meters; shared by the Quota page and the tray window. Windows first,
 * balances (credits, extra usage) after them as plain lines; a failing poll shows on the meters.
 */
export function AccountMeters(props: { account: QuotaState['accounts'][number]; summary?: AccountSummary; thresholds: QuotaState['thresholds']; actions?: React.ReactNode }) {
  const { t } = useTranslation();
  const a = props.account;
  const windows = [...a.windows.filter((w) => !isBalance(w)), ...a.windows.filter(isBalance)];
  const pollError = props.summary?.lastError;
  return (
    <>
      <div className="account-quota-head">
        <span className="provider-tag">{a.provider}</span>
        <strong>{a.label}</strong>
        {a.plan && <span className="muted small">{a.plan}</span>}
        <Pill tone={statusTone(a.status)}>{t(`accounts.statuses.${a.status === 'cooling' ? 'coolingShort' : a.status}`)}</Pill>
        {props.actions}
      </div>
      {pollError && (
        <p className="form-error small" data-testid="poll-error">
          {t('quota.pollFailed', { message: pollError })}
        </p>
      )}
      {windows.length === 0 ? (
        <p className="muted small">{t('quota.noWindows')}</p>
      ) : (
        <ul className="quota-list">
          {windows.map((w) => (
            <QuotaRow key={w.id} window={w} thresholds={props.thresholds} />
          ))}
        </ul>
      )}
    </>
  );
}
