import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeyEntryDetail } from '../../../src-shared/domain';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { errorText } from '../../stores/connection';
import { Field } from '../../components/ui';
import { formValues, toPatch, type KeyFormValues } from './key-form';

/**
 * An entry edited where it is listed. Secrets arrive masked and stay masked in the form; sent back
 * unchanged they keep what is saved, so only what the user retypes changes.
 */
export function KeyEditForm(props: { entry: KeyEntryDetail; name: string; onDone(): void; onTest(model?: string): Promise<void>; testing: boolean }) {
  const { t } = useTranslation();
  const k = props.entry;
  const compat = k.section === 'openai-compatibility';
  const updateKey = useAccounts((s) => s.updateKey);
  const toast = useUi((s) => s.toast);
  const [v, setV] = useState<KeyFormValues>(() => formValues(k));
  const [testModel, setTestModel] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const errId = useId();
  const bind = (field: keyof KeyFormValues) => ({ value: v[field], onChange: (e: { target: { value: string } }) => setV({ ...v, [field]: e.target.value }) });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { patch, badHeader } = toPatch(v, compat);
    if (badHeader) return setErr(t('keys.badHeader', { line: badHeader }));
    setSaving(true);
    try {
      await updateKey(k.id, patch);
      toast('success', t('keys.saved'));
      props.onDone();
    } catch (x) {
      setErr(errorText(x));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="form key-form" onSubmit={submit} aria-label={t('keys.editFor', { name: props.name })} aria-describedby={err ? errId : undefined}>
      <div className="row gap wrap">
        <span className="provider-tag">{t(`accounts.sections.${k.section}`)}</span>
        <strong>{props.name}</strong>
      </div>
      <div className="key-form-grid">
        {compat && (
          <Field label={t('accounts.name')}>
            <input {...bind('name')} required />
          </Field>
        )}
        <Field label={t('accounts.apiKey')} hint={t('keys.keyHint')}>
          <input {...bind('apiKey')} required autoComplete="off" spellCheck={false} className="mono" />
        </Field>
        <Field label={compat ? t('accounts.baseUrlCompat') : t('accounts.baseUrl')}>
          <input type="url" {...bind('baseUrl')} required={compat} />
        </Field>
        <Field label={t('accounts.keyLabel')}>
          <input {...bind('label')} />
        </Field>
        <Field label={t('keys.prefix')} hint={t('accounts.prefixHint')}>
          <input {...bind('prefix')} pattern="[A-Za-z0-9._\-]*" />
        </Field>
        <Field label={t('keys.proxyUrl')}>
          <input {...bind('proxyUrl')} placeholder="http://proxy.local:3128" spellCheck={false} />
        </Field>
        <Field label={t('keys.headers')} hint={t('keys.maskedHint')}>
          <textarea rows={2} {...bind('headers')} placeholder="anthropic-beta: …" spellCheck={false} />
        </Field>
        <Field label={t('accounts.models')}>
          <textarea rows={2} {...bind('models')} spellCheck={false} />
        </Field>
        <Field label={t('keys.excludedModels')}>
          <textarea rows={2} {...bind('excludedModels')} spellCheck={false} />
        </Field>
      </div>
      {err && (
        <p id={errId} className="form-error" role="alert">
          {err}
        </p>
      )}
      <div className="row gap wrap key-form-buttons">
        <Field label={t('keys.testModel')} inline>
          <input value={testModel} onChange={(e) => setTestModel(e.target.value)} placeholder={k.models[0]?.name ?? ''} className="key-test-model" spellCheck={false} />
        </Field>
        <button type="button" className="btn btn-small" disabled={props.testing} onClick={() => void props.onTest(testModel.trim() || undefined)} aria-label={t('keys.testFor', { name: props.name })}>
          {props.testing ? t('keys.testing') : t('keys.testSaved')}
        </button>
        <span className="push" />
        <button type="button" className="btn" onClick={props.onDone}>
          {t('app.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {t('app.save')}
        </button>
      </div>
    </form>
  );
}
