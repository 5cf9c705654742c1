import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutePreview } from '../../../src-shared/domain';
import { useMappings } from '../../stores/mappings';
import { Field, Loading, Pill } from '../../components/ui';
import { statusTone } from '../accounts/status';

export function RoutePreviewView(props: { preview: RoutePreview | null }) {
  const { t } = useTranslation();
  const p = props.preview;
  if (!p) return <Loading />;
  return (
    <div className="route" data-testid="route-preview">
      {p.steps.length > 0 && (
        <ol className="route-steps small muted">
          {p.steps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
      )}
      {p.candidates.length === 0 ? (
        <p className="form-error">{p.error ?? t('mappings.routeNone')}</p>
      ) : (
        <ol className="plain-list">
          {p.candidates.map((c) => (
            <li key={c.accountId} className="row gap">
              <span className="provider-tag">{c.provider}</span>
              <span>{c.accountLabel}</span>
              <span className="mono small">{c.upstreamModel}</span>
              {c.reasoning && <span className="small muted">{c.reasoning}</span>}
              <Pill tone={statusTone(c.status)}>{t(`accounts.statuses.${c.status === 'cooling' ? 'coolingShort' : c.status}`)}</Pill>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function TryIt(props: { model: string }) {
  const { t } = useTranslation();
  const { runTest, test, testing } = useMappings();
  const [prompt, setPrompt] = useState(t('mappings.promptDefault'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void runTest(props.model, prompt);
  };
  return (
    <form className="form try" onSubmit={submit} aria-label={t('mappings.tryIt')}>
      <h3>{t('mappings.tryIt')}</h3>
      <Field label={t('mappings.prompt')}>
        <textarea rows={2} value={prompt} onChange={(e) => setPrompt(e.target.value)} required />
      </Field>
      <div className="row gap">
        <button type="submit" className="btn btn-primary" disabled={testing}>
          {testing ? t('mappings.sending') : t('mappings.send')}
        </button>
      </div>
      {test && (
        <div className={`reply ${test.ok ? '' : 'reply-error'}`} role="status" data-testid="test-reply">
          <div className="small muted">
            {t('mappings.testMeta', { status: test.status, latency: Math.round(test.latencyMs), account: test.accountLabel ?? '—', model: test.upstreamModel ?? '—' })}
          </div>
          {test.ok ? <pre className="code">{test.text}</pre> : <p className="form-error">{test.error}</p>}
        </div>
      )}
    </form>
  );
}
