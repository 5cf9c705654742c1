import { useTranslation } from 'react-i18next';
import type { KeyTestResult } from '../../../src-shared/domain';
import { Pill } from '../../components/ui';

/** The answer to "Test": status, latency and model; on failure the upstream's own words. */
export function KeyTestLine(props: { testing: boolean; result: KeyTestResult | null; error: string | null }) {
  const { t } = useTranslation();
  const r = props.result;
  if (!props.testing && !r && !props.error) return null;
  return (
    <div className="key-test" role="status" data-testid="key-test-result">
      {props.testing ? (
        <span className="muted small">{t('keys.testing')}</span>
      ) : props.error ? (
        <p className="form-error small">{props.error}</p>
      ) : r ? (
        <>
          <span className="row gap wrap">
            <Pill tone={r.ok ? 'ok' : 'bad'}>{r.ok ? t('keys.works') : t('keys.failed')}</Pill>
            <span className="small" data-testid="key-test-status">
              {r.status ? `HTTP ${r.status}` : t('keys.noAnswer')}
            </span>
            <span className="small muted">{t('keys.latency', { ms: r.latencyMs })}</span>
            {r.model && <code className="mono small">{r.model}</code>}
          </span>
          {r.error && (
            <p className="key-test-message small" data-testid="key-test-message">
              {t('keys.upstreamSays', { message: r.error })}
            </p>
          )}
        </>
      ) : null}
    </div>
  );
}
