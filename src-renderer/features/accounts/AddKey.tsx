import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { keySectionSchema, type KeySection } from '../../../src-shared/domain';
import { useAccounts } from '../../stores/accounts';
import { errorText } from '../../stores/connection';
import { Field, Modal } from '../../components/ui';
import { parseModels } from './key-form';

const sections = keySectionSchema.options;

/** A new provider key entry (the list edits existing ones in place). */
export function AddKey(props: { onClose(): void }) {
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
