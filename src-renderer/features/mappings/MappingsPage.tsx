import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { providerName } from '../../components/format';
import type { Alias } from '../../../src-shared/domain';
import { useMappings } from '../../stores/mappings';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { errorText } from '../../stores/connection';
import { Async, Card, Confirm, Empty } from '../../components/ui';
import { AliasWizard } from './AliasWizard';
import { PayloadRules } from './PayloadRules';

export function MappingsPage() {
  const { t } = useTranslation();
  const m = useMappings();
  const [editing, setEditing] = useState<Alias | null>(null);
  const [deleting, setDeleting] = useState<Alias | null>(null);
  const toast = useUi((s) => s.toast);
  return (
    <div className="page">
      <h1 className="page-title">{t('mappings.title')}</h1>
      <AliasWizard editing={editing} onDone={() => setEditing(null)} />
      <Card id="aliases" title={t('mappings.aliases')}>
        <Async loaded={m.loaded} error={m.error} empty={m.mappings.aliases.length === 0} emptyText={t('mappings.aliasesEmpty')} onRetry={m.load}>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('mappings.alias')}</th>
                  <th scope="col">{t('mappings.target')}</th>
                  <th scope="col" className="col-opt">{t('mappings.reasoning')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('accounts.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {m.mappings.aliases.map((a) => (
                  <tr key={a.id}>
                    <td className="mono">{a.alias}</td>
                    <td>
                      <span className="provider-tag">{a.provider}</span> <span className="mono small break">{a.prefix ? `${a.prefix}/` : ''}{a.upstreamModel}</span>
                    </td>
                    <td className="small col-opt">{a.reasoning ? t(`mappings.levels.${a.reasoning}`) : t('app.none')}</td>
                    <td className="actions">
                      <div className="action-row">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(a)} aria-label={`${t('app.edit')} ${a.alias}`}>
                        {t('app.edit')}
                      </button>
                      <button type="button" className="btn btn-small btn-ghost-danger" onClick={() => setDeleting(a)} aria-label={`${t('app.delete')} ${a.alias}`}>
                        {t('app.delete')}
                      </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Async>
      </Card>
      <Exclusions />
      <PayloadRules />
      <Confirm
        open={!!deleting}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={t('mappings.deleteTitle')}
        body={t('mappings.deleteBody')}
        confirmLabel={t('app.delete')}
        onConfirm={() => m.deleteAlias(deleting!.id).catch((e) => toast('error', errorText(e)))}
      />
    </div>
  );
}

function Exclusions() {
  const { t } = useTranslation();
  const { mappings, addExclusion, deleteExclusion } = useMappings();
  const providers = useAccounts((s) => s.providers).filter((p) => p.signIn !== 'none');
  const toast = useUi((s) => s.toast);
  const [provider, setProvider] = useState('');
  const [pattern, setPattern] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await addExclusion(provider || providers[0]?.id, pattern.trim());
      setPattern('');
    } catch (x) {
      toast('error', errorText(x));
    }
  };
  return (
    <Card id="exclusions" title={t('mappings.exclusions')}>
      {mappings.exclusions.length === 0 ? (
        <Empty>{t('mappings.exclusionsEmpty')}</Empty>
      ) : (
        <ul className="chips">
          {mappings.exclusions.map((x) => (
            <li key={x.id} className="chip">
              <span className="provider-tag">{x.provider}</span>
              <span className="mono small">{x.pattern}</span>
              <button type="button" className="chip-x" onClick={() => deleteExclusion(x.id).catch((e) => toast('error', errorText(e)))} aria-label={`${t('app.delete')} ${x.pattern}`}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row gap wrap" onSubmit={submit}>
        <label className="field field-inline">
          <span className="field-label">{t('mappings.provider')}</span>
          <select value={provider || providers[0]?.id || ''} onChange={(e) => setProvider(e.target.value)}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {providerName(t, p.displayName)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-inline grow">
          <span className="field-label">{t('mappings.pattern')}</span>
          <input value={pattern} onChange={(e) => setPattern(e.target.value)} required />
        </label>
        <button type="submit" className="btn" disabled={!pattern.trim()}>
          {t('mappings.addExclusion')}
        </button>
      </form>
    </Card>
  );
}
