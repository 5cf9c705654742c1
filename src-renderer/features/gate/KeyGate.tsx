import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { connectWithKey } from '../../App';
import { useConnection } from '../../stores/connection';
import { defaultHttpBase } from '../../api/connection';
import { httpFailure } from '../../api/http-bridge';
import { CopyButton } from '../../components/ui';

/** A suggestion for the secret, made in the browser (never sent anywhere until the user saves it). */
function suggestKey(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return `sy-mgmt-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Ask the server, without a key, whether management is enabled at all. */
async function probe(): Promise<{ code: string; message: string } | null> {
  try {
    const res = await fetch(`${defaultHttpBase()}/app%3Astatus%3Aget`, { method: 'POST' });
    if (res.ok) return null;
    const body: unknown = await res.json().catch(() => null);
    const f = httpFailure(res.status, body);
    return f.code === 'management-disabled' || f.code === 'forbidden' ? f : null;
  } catch {
    return null;
  }
}

/** The headless `/ui/` asks for the management key once; the desktop app never shows this. */
export function KeyGate() {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  const [remember, setRemember] = useState(false);
  const [blocked, setBlocked] = useState<{ code: string; message: string } | null>(null);
  const [suggestion] = useState(suggestKey);
  const phase = useConnection((s) => s.phase);
  const error = useConnection((s) => s.error);
  const errorCode = useConnection((s) => s.errorCode);
  useEffect(() => {
    void probe().then(setBlocked);
  }, []);
  const recheck = async () => setBlocked(await probe());
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) await connectWithKey(key.trim(), remember);
  };
  const disabled = blocked?.code === 'management-disabled' || errorCode === 'management-disabled';
  if (disabled) {
    const yaml = `remote-management:\n  secret-key: "${suggestion}"`;
    return (
      <main className="gate">
        <section className="card gate-card gate-wide" aria-labelledby="gate-title" data-testid="management-disabled">
          <h1 id="gate-title">{t('gate.disabledTitle')}</h1>
          <p role="status" className="form-error">
            {t('gate.serverSays', { message: blocked?.message ?? error ?? '' })}
          </p>
          <p>{t('gate.disabledIntro')}</p>
          <pre className="code" data-testid="management-yaml">
            {yaml}
          </pre>
          <div className="row gap">
            <CopyButton value={yaml} label={t('gate.yaml')} />
          </div>
          <p className="muted small">{t('gate.disabledAfter')}</p>
          <button type="button" className="btn btn-primary" onClick={recheck}>
            {t('gate.checkAgain')}
          </button>
        </section>
      </main>
    );
  }
  return (
    <main className="gate">
      <form className="card gate-card" onSubmit={submit} aria-labelledby="gate-title">
        <h1 id="gate-title">{t('gate.title')}</h1>
        <p className="muted">{t('gate.intro')}</p>
        {blocked && (
          <p className="form-error" role="status">
            {t('gate.serverSays', { message: blocked.message })}
          </p>
        )}
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
