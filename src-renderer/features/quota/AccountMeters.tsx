import { useTranslation } from 'react-i18next';
import { Pill } from '../../components/ui';
import type { useQuota } from '../../stores/quota';
import { statusTone } from '../accounts/status';
import { QuotaRow } from './QuotaRow';

type QuotaState = ReturnType<typeof useQuota.getState>;

/** One account's head line and meters; shared by the Quota page and the tray window. */
export function AccountMeters(props: { account: QuotaState['accounts'][number]; thresholds: QuotaState['thresholds']; actions?: React.ReactNode }) {
  const { t } = useTranslation();
  const a = props.account;
  return (
    <>
      <div className="account-quota-head">
        <span className="provider-tag">{a.provider}</span>
        <strong>{a.label}</strong>
        {a.plan && <span className="muted small">{a.plan}</span>}
        <Pill tone={statusTone(a.status)}>{t(`accounts.statuses.${a.status === 'cooling' ? 'coolingShort' : a.status}`)}</Pill>
        {props.actions}
      </div>
      {a.windows.length === 0 ? (
        <p className="muted small">{t('quota.noWindows')}</p>
      ) : (
        <ul className="quota-list">
          {a.windows.map((w) => (
            <QuotaRow key={w.id} window={w} thresholds={props.thresholds} />
          ))}
        </ul>
      )}
    </>
  );
}
