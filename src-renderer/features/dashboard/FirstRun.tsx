import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Status } from '../../../src-shared/domain';
import { Card } from '../../components/ui';
import { useUi } from '../../stores/ui';
import { useLogs } from '../../stores/logs';

const COPIED = 'switchyard.firstRun.copied';
const DISMISSED = 'switchyard.firstRun.dismissed';

function flag(name: string): boolean {
  try {
    return localStorage.getItem(name) === '1';
  } catch {
    return false;
  }
}

/** Called by the dashboard's copy buttons: step two of the checklist is done. */
export function markCopied(): void {
  try {
    localStorage.setItem(COPIED, '1');
  } catch {
    // private mode: the step just stays open
  }
  window.dispatchEvent(new Event('switchyard:first-run'));
}

/**
 * The first-run checklist: sign in → put the URL into a tool → see the first request. Each step
 * ticks itself from real state; the card goes away once all three are done (or is dismissed).
 */
export function FirstRun(props: { status: Status }) {
  const { t } = useTranslation();
  const go = useUi((s) => s.go);
  const seen = useLogs((s) => s.entries.length > 0);
  const [, bump] = useState(0);
  const [dismissed, setDismissed] = useState(() => flag(DISMISSED));
  useEffect(() => {
    const on = () => bump((n) => n + 1);
    window.addEventListener('switchyard:first-run', on);
    return () => window.removeEventListener('switchyard:first-run', on);
  }, []);
  const steps = [
    { id: 'sign-in', done: props.status.accounts.total > 0, text: t('firstRun.signIn'), action: () => go('accounts'), actionText: t('firstRun.goAccounts') },
    { id: 'copy', done: flag(COPIED), text: t('firstRun.copy'), action: null, actionText: '' },
    { id: 'request', done: seen || props.status.today.requests > 0, text: t('firstRun.request'), action: () => go('logs'), actionText: t('firstRun.goLogs') },
  ];
  if (dismissed || steps.every((s) => s.done)) return null;
  return (
    <Card id="first-run" title={t('firstRun.title')}>
      <ol className="checklist" data-testid="first-run">
        {steps.map((s) => (
          <li key={s.id} className={s.done ? 'done' : undefined}>
            <span className="check-mark" aria-hidden="true">
              {s.done ? '✓' : '○'}
            </span>
            <span>
              {s.text}
              <span className="sr-only"> — {s.done ? t('firstRun.done') : t('firstRun.todo')}</span>
            </span>
            {!s.done && s.action && (
              <button type="button" className="btn btn-small" onClick={s.action}>
                {s.actionText}
              </button>
            )}
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="btn btn-small btn-ghost"
        onClick={() => {
          try {
            localStorage.setItem(DISMISSED, '1');
          } catch {
            // fine
          }
          setDismissed(true);
        }}
      >
        {t('firstRun.dismiss')}
      </button>
    </Card>
  );
}
