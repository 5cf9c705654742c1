import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { providerName } from '../../components/format';
import { useAccounts } from '../../stores/accounts';
import { CopyButton, Field, Loading, Modal } from '../../components/ui';

/** One dialog for every sign-in: browser (with paste fallback) or device code; progress from events. */
export function SignInDialog() {
  const { t } = useTranslation();
  const { signIn, providers, cancelSignIn, closeSignIn, pasteRedirect } = useAccounts();
  const [pasted, setPasted] = useState('');
  const [pasteErr, setPasteErr] = useState<string | null>(null);
  if (!signIn) return null;
  const name = providers.find((p) => p.id === signIn.provider)?.displayName ?? signIn.provider;
  const shownName = providerName(t, name);
  const { start, progress, result, error } = signIn;
  // Plan notes the CLI prints too: which tiers work, what the free tier gives.
  const note = t(`signIn.notes.${signIn.provider}`, { defaultValue: '' });
  const finished = !!result || !!error;
  const onOpenChange = (open: boolean) => {
    if (open) return;
    setPasted('');
    setPasteErr(null);
    if (finished) closeSignIn();
    else void cancelSignIn();
  };
  const submitPaste = async (e: FormEvent) => {
    e.preventDefault();
    setPasteErr(await pasteRedirect(pasted.trim()));
  };
  return (
    <Modal open onOpenChange={onOpenChange} title={t('signIn.title', { name: shownName })} wide>
      <div className="sign-in" aria-live="polite">
        {error && <p className="form-error" role="alert">{t('signIn.failed', { message: error })}</p>}
        {result?.ok && <p className="success" data-testid="sign-in-success">{t('signIn.success', { label: result.account?.label ?? '' })}</p>}
        {result && !result.ok && <p className="form-error" role="alert">{t('signIn.failed', { message: result.error?.message ?? '' })}</p>}
        {!start && !error && <Loading />}
        {note && <p className="banner" data-testid="plan-note">{note}</p>}
        {start && !finished && (
          <>
            {start.kind === 'device-code' ? (
              <div className="device">
                <p>{t('signIn.deviceIntro')}</p>
                {start.verificationUri && (
                  <p>
                    <a href={start.verificationUri} target="_blank" rel="noreferrer noopener">
                      {start.verificationUri}
                    </a>
                  </p>
                )}
                <div className="row gap center">
                  <code className="device-code" aria-label={t('signIn.code')} data-testid="device-code">
                    {start.userCode}
                  </code>
                  <CopyButton value={start.userCode ?? ''} label={t('signIn.code')} />
                </div>
              </div>
            ) : (
              <>
                <p>{t('signIn.browser')}</p>
                {start.authorizeUrl && (
                  <div className="authorize">
                    <p className="small muted">{t('signIn.urlIntro')}</p>
                    <code className="mono small authorize-url" data-testid="authorize-url-text">
                      {start.authorizeUrl}
                    </code>
                    <div className="row gap">
                      <CopyButton value={start.authorizeUrl} label={t('signIn.urlLabel')} />
                      <a className="btn btn-small" href={start.authorizeUrl} target="_blank" rel="noreferrer noopener" data-testid="authorize-url">
                        {t('signIn.openAgain')}
                      </a>
                    </div>
                  </div>
                )}
              </>
            )}
            <p className="muted small stage" role="status">
              {progress ? t(`signIn.stages.${progress.stage}`) : t('signIn.starting')}
            </p>
            {start.acceptsPastedRedirect && (
              <form className="paste form" onSubmit={submitPaste}>
                <h3>{t('signIn.pasteTitle')}</h3>
                <p className="muted small">{t('signIn.pasteHint')}</p>
                <Field label={t('signIn.pasteLabel')}>
                  <input value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder="http://localhost:…/callback?code=…" aria-invalid={!!pasteErr} />
                </Field>
                {pasteErr && <p className="form-error" role="alert">{pasteErr}</p>}
                <button type="submit" className="btn" disabled={!pasted.trim()}>
                  {t('signIn.pasteSubmit')}
                </button>
              </form>
            )}
          </>
        )}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={() => onOpenChange(false)}>
            {finished ? t('app.close') : t('app.cancel')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
