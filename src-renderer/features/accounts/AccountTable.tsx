import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AccountSummary } from '../../../src-shared/domain';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { errorText } from '../../stores/connection';
import { Confirm, Field, Modal, Pill } from '../../components/ui';
import { clock } from '../../components/format';
import { statusTone } from './status';

/** "rate limited (429)", "upstream errors (5xx)", … from the cooldown's failure kind. */
export function coolingReason(t: TFunction, reason: string | null | undefined): string {
  if (!reason) return t('accounts.why.unknown');
  return t(`accounts.why.${reason}`, { defaultValue: reason });
}

export function AccountTable() {
  const { t, i18n } = useTranslation();
  const { accounts, setEnabled, remove, startSignIn, resetCooldown } = useAccounts();
  const toast = useUi((s) => s.toast);
  const [removing, setRemoving] = useState<AccountSummary | null>(null);
  const [editing, setEditing] = useState<AccountSummary | null>(null);
  const guard = async (p: Promise<unknown>): Promise<void> => {
    try {
      await p;
    } catch (e) {
      toast('error', errorText(e));
    }
  };
  return (
    <>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col" className="col-opt">{t('accounts.provider')}</th>
              <th scope="col">{t('accounts.label')}</th>
              <th scope="col">{t('accounts.status')}</th>
              <th scope="col" className="col-opt">{t('accounts.expires')}</th>
              <th scope="col" className="col-opt">{t('accounts.priority')}</th>
              <th scope="col" className="col-opt">{t('accounts.prefix')}</th>
              <th scope="col">
                <span className="sr-only">{t('accounts.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-testid={`account-${a.id}`}>
                <td className="col-opt">
                  <span className="provider-tag">{a.provider}</span>
                </td>
                <td>
                  <div className="cell-main">
                    <span className="provider-tag narrow-only">{a.provider}</span> {a.label}
                  </div>
                  <div className="muted small">{[a.plan, a.maskedKey].filter(Boolean).join(' · ')}</div>
                </td>
                <td>
                  <Pill tone={statusTone(a.status)} title={a.lastError ?? undefined}>
                    {a.status === 'cooling' && a.coolingUntil ? t('accounts.statuses.cooling', { time: new Date(a.coolingUntil).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' }) }) : t(`accounts.statuses.${a.status}`)}
                  </Pill>
                  {a.status === 'cooling' && (
                    <div className="small muted cooling-why" data-testid={`cooling-reason-${a.id}`}>
                      {coolingReason(t, a.coolingReason)}{' '}
                      <button type="button" className="btn btn-small btn-link" onClick={() => guard(resetCooldown(a.id).then(() => toast('success', t('accounts.resetDone', { label: a.label }))))} aria-label={t('accounts.resetFor', { label: a.label })}>
                        {t('accounts.reset')}
                      </button>
                    </div>
                  )}
                  {a.lastError && a.status !== 'cooling' && <div className="small form-error">{a.lastError}</div>}
                </td>
                <td className="small col-opt">{a.expiresAt ? clock(a.expiresAt, i18n.language) : t('app.none')}</td>
                <td className="num col-opt">{a.priority}</td>
                <td className="mono small col-opt">{a.prefix ?? t('app.none')}</td>
                <td className="actions">
                  <div className="action-row">
                  {a.kind === 'oauth' && a.status === 'needs-sign-in' && (
                    <button type="button" className="btn btn-small btn-primary" onClick={() => startSignIn(a.provider, { accountId: a.id })}>
                      {t('accounts.signInAgain')}
                    </button>
                  )}
                  <button type="button" className="btn btn-small" onClick={() => guard(setEnabled(a.id, a.status === 'disabled'))} aria-label={`${a.status === 'disabled' ? t('accounts.enable') : t('accounts.disable')} ${a.label}`}>
                    {a.status === 'disabled' ? t('accounts.enable') : t('accounts.disable')}
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => setEditing(a)} aria-label={`${t('app.edit')} ${a.label}`}>
                    {t('app.edit')}
                  </button>
                  {a.kind === 'oauth' && (
                    <button type="button" className="btn btn-small btn-ghost-danger" onClick={() => setRemoving(a)} aria-label={`${t('accounts.remove')} ${a.label}`}>
                      {t('accounts.remove')}
                    </button>
                  )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Confirm
        open={!!removing}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={t('accounts.removeTitle')}
        body={t('accounts.removeBody', { label: removing?.label ?? '' })}
        confirmLabel={t('accounts.remove')}
        onConfirm={() => guard(remove(removing!.id))}
      />
      {editing && <EditAccount account={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function EditAccount(props: { account: AccountSummary; onClose(): void }) {
  const { t } = useTranslation();
  const update = useAccounts((s) => s.update);
  const [priority, setPriority] = useState(String(props.account.priority));
  const [prefix, setPrefix] = useState(props.account.prefix ?? '');
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await update(props.account.id, { priority: Number(priority), prefix: prefix.trim() || null });
      props.onClose();
    } catch (x) {
      setErr(errorText(x));
    }
  };
  return (
    <Modal open onOpenChange={(o) => !o && props.onClose()} title={t('accounts.editTitle', { label: props.account.label })}>
      <form onSubmit={submit} className="form">
        <Field label={t('accounts.priority')} hint={t('accounts.priorityHint')}>
          <input type="number" value={priority} onChange={(e) => setPriority(e.target.value)} />
        </Field>
        <Field label={t('accounts.prefix')} hint={t('accounts.prefixHint')}>
          <input value={prefix} onChange={(e) => setPrefix(e.target.value)} pattern="[A-Za-z0-9._\-]*" />
        </Field>
        {err && <p className="form-error" role="alert">{err}</p>}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('app.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
