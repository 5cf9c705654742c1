import { useTranslation } from 'react-i18next';
import { providerName } from '../../components/format';
import { useAccounts } from '../../stores/accounts';
import { Async, Card } from '../../components/ui';
import { AccountTable } from './AccountTable';
import { KeyEntries } from './KeyEntries';
import { SignInDialog } from './SignInDialog';

export function AccountsPage() {
  const { t } = useTranslation();
  const { providers, accounts, loaded, error, load, startSignIn } = useAccounts();
  const oauth = providers.filter((p) => p.signIn !== 'none');
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.accounts')}</h1>
      <Card id="sign-in" title={t('accounts.signInTitle')}>
        {!loaded ? null : (
          <div className="provider-buttons">
            {oauth.map((p) => (
              <button key={p.id} type="button" className="btn provider-btn" onClick={() => startSignIn(p.id)} data-provider={p.id}>
                {t('accounts.signInWith', { name: providerName(t, p.displayName) })}
              </button>
            ))}
          </div>
        )}
      </Card>
      <Card id="account-list" title={t('accounts.listTitle')}>
        <Async loaded={loaded} error={error} empty={accounts.length === 0} emptyText={t('accounts.empty')} onRetry={load}>
          <AccountTable />
        </Async>
      </Card>
      <KeyEntries />
      <SignInDialog />
    </div>
  );
}
