import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { connectWithKey } from '../../App';
import { useConnection } from '../../stores/connection';

/** The headless `/ui/` asks for the management key once; the desktop app never shows this. */
export function KeyGate() {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  const [remember, setRemember] = useState(false);
  const phase = useConnection((s) => s.phase);
  const error = useConnection((s) => s.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) await connectWithKey(key.trim(), remember);
  };
  return (
    <main className="gate">
      <form className="card gate-card" onSubmit={submit} aria-labelledby="gate-title">
        <h1 id="gate-title">{t('gate.title')}</h1>
        <p className="muted">{t('gate.intro')}</p>
        <label className="field">
          <span className="field-label">{t('gate.key')}</span>
          <input type="password" autoComplete="current-password" autoFocus value={key} onChange={(e) => setKey(e.target.value)} aria-invalid={!!error} aria-describedby={error ? 'gate-error' : undefined} />
        </label>
        <label className="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          {t('gate.remember')}
        </label>
        {error && (
          <p id="gate-error" className="form-error" role="alert">
            {error === 'wrong-key' ? t('gate.wrong') : error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={phase === 'checking' || !key.trim()}>
          {phase === 'checking' ? t('gate.checking') : t('gate.submit')}
        </button>
      </form>
    </main>
  );
}
