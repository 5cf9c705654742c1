import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeyEntryDetail, KeyTestResult } from '../../../src-shared/domain';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { errorText } from '../../stores/connection';
import { Card, Confirm, Empty } from '../../components/ui';
import { AddKey } from './AddKey';
import { KeyEditForm } from './KeyEditForm';
import { KeyTestLine } from './KeyTestLine';
import './keys.css';

export { parseModels } from './key-form';

/** What a person calls the entry: its name (OpenAI-compatible), label, else provider and masked key. */
export function entryName(t: (k: string) => string, k: KeyEntryDetail): string {
  return k.name ?? k.label ?? `${t(`accounts.sections.${k.section}`)} ${k.maskedKey}`;
}

export function KeyEntries() {
  const { t } = useTranslation();
  const { keys, removeKey } = useAccounts();
  const toast = useUi((s) => s.toast);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<KeyEntryDetail | null>(null);
  return (
    <Card
      id="keys"
      title={t('accounts.keysTitle')}
      actions={
        <button type="button" className="btn btn-small" onClick={() => setAdding(true)}>
          {t('accounts.addKey')}
        </button>
      }
    >
      {keys.length === 0 ? (
        <Empty>{t('accounts.keysEmpty')}</Empty>
      ) : (
        <ul className="plain-list key-list">
          {keys.map((k) => (
            <KeyRow key={k.id} entry={k} onRemove={() => setRemoving(k)} />
          ))}
        </ul>
      )}
      {adding && <AddKey onClose={() => setAdding(false)} />}
      <Confirm
        open={!!removing}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={t('accounts.removeKeyTitle')}
        body={t('accounts.removeKeyBody')}
        confirmLabel={t('app.delete')}
        onConfirm={() => removeKey(removing!.id).catch((e) => toast('error', errorText(e)))}
      />
    </Card>
  );
}

/** One entry: its facts and Test / Edit / Delete, or its form while it is edited in place. */
function KeyRow(props: { entry: KeyEntryDetail; onRemove(): void }) {
  const { t } = useTranslation();
  const k = props.entry;
  const testKey = useAccounts((s) => s.testKey);
  const [editing, setEditing] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<KeyTestResult | null>(null);
  const [testError, setTestError] = useState<string | null>(null);
  const name = entryName(t, k);
  const runTest = async (model?: string) => {
    setTesting(true);
    setTestError(null);
    try {
      setResult(await testKey(k.id, model));
    } catch (e) {
      setResult(null);
      setTestError(errorText(e));
    } finally {
      setTesting(false);
    }
  };
  const testLine = <KeyTestLine testing={testing} result={result} error={testError} />;
  if (editing) {
    return (
      <li className="key-item key-editing" data-testid={`key-${k.id}`}>
        <KeyEditForm entry={k} name={name} onDone={() => setEditing(false)} onTest={runTest} testing={testing} />
        {testLine}
      </li>
    );
  }
  return (
    <li className="key-item" data-testid={`key-${k.id}`}>
      <div className="row gap wrap">
        <span className="provider-tag">{t(`accounts.sections.${k.section}`)}</span>
        <span className="cell-main">{k.name ?? k.label ?? ''}</span>
        <code className="mono small">{k.maskedKey}</code>
        {k.keyCount > 1 && <span className="muted small">{t('keys.moreKeys', { n: k.keyCount - 1 })}</span>}
        {k.baseUrl && <span className="muted small ellipsis">{k.baseUrl}</span>}
        {k.models.length > 0 && <span className="muted small">{k.models.map((m) => m.alias ?? m.name).join(', ')}</span>}
        <span className="row gap push key-actions">
          <button type="button" className="btn btn-small" onClick={() => void runTest()} disabled={testing} aria-label={t('keys.testFor', { name })}>
            {testing ? t('keys.testing') : t('keys.test')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)} aria-label={t('keys.editFor', { name })}>
            {t('app.edit')}
          </button>
          <button type="button" className="btn btn-small btn-ghost-danger" onClick={props.onRemove} aria-label={`${t('app.delete')} ${name}`}>
            {t('app.delete')}
          </button>
        </span>
      </div>
      {testLine}
    </li>
  );
}
