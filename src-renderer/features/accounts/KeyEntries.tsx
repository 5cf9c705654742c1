import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { keySectionSchema, type KeyEntry, type KeySection } from '../../../src-shared/domain';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { errorText } from '../../stores/connection';
import { Card, Confirm, Empty, Field, Modal } from '../../components/ui';

const sections = keySectionSchema.options;

/** `upstream` or `upstream=alias` per line. */
export function parseModels(text: string): Array<{ name: string; alias?: string }> {
  return text
    .split(/\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, alias] = l.split('=').map((s) => s.trim());
      return alias ? { name, alias } : { name };
    });
}

export function KeyEntries() {
  const { t } = useTranslation();
  const { keys, removeKey } = useAccounts();
  const toast = useUi((s) => s.toast);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<KeyEntry | null>(null);
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
            <li key={k.id} className="row gap wrap">
              <span className="provider-tag">{t(`accounts.sections.${k.section}`)}</span>
              <span className="cell-main">{k.name ?? k.label ?? ''}</span>
              <code className="mono small">{k.maskedKey}</code>
              {k.baseUrl && <span className="muted small ellipsis">{k.baseUrl}</span>}
              {k.models.length > 0 && <span className="muted small">{k.models.map((m) => m.alias ?? m.name).join(', ')}</span>}
              <button type="button" className="btn btn-small btn-ghost-danger push" onClick={() => setRemoving(k)} aria-label={`${t('app.delete')} ${k.maskedKey}`}>
                {t('app.delete')}
              </button>
            </li>
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

function AddKey(props: { onClose(): void }) {
  const { t } = useTranslation();
  const addKey = useAccounts((s) => s.addKey);
  const [section, setSection] = useState<KeySection>('openai-compatibility');
  const [apiKey, setApiKey] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [name, setName] = useState('');
  const [label, setLabel] = useState('');
  const [models, setModels] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const compat = section === 'openai-compatibility';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const m = parseModels(models);
      await addKey({ section, apiKey: apiKey.trim(), baseUrl: baseUrl.trim() || undefined, name: compat ? name.trim() : undefined, label: label.trim() || undefined, models: m.length ? m : undefined });
      props.onClose();
    } catch (x) {
      setErr(errorText(x));
    }
  };
  return (
    <Modal open onOpenChange={(o) => !o && props.onClose()} title={t('accounts.addKeyTitle')} wide>
      <form className="form" onSubmit={submit}>
        <Field label={t('accounts.section')}>
          <select value={section} onChange={(e) => setSection(e.target.value as KeySection)}>
            {sections.map((s) => (
              <option key={s} value={s}>
                {t(`accounts.sections.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        {compat && (
          <Field label={t('accounts.name')}>
            <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="openrouter" />
          </Field>
        )}
        <Field label={t('accounts.apiKey')}>
          <input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label={compat ? t('accounts.baseUrlCompat') : t('accounts.baseUrl')}>
          <input type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required={compat} placeholder={compat ? 'https://openrouter.ai/api/v1' : ''} />
        </Field>
        <Field label={t('accounts.keyLabel')}>
          <input value={label} onChange={(e) => setLabel(e.target.value)} />
        </Field>
        <Field label={t('accounts.models')}>
          <textarea rows={3} value={models} onChange={(e) => setModels(e.target.value)} placeholder="anthropic/claude-sonnet-4.5=sonnet" />
        </Field>
        {err && <p className="form-error" role="alert">{err}</p>}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('app.add')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
