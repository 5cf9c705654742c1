import * as Tabs from '@radix-ui/react-tabs';
import { useTranslation } from 'react-i18next';
import { useStatus } from '../../stores/status';
import { useSettings } from '../../stores/settings';
import { useQuota } from '../../stores/quota';
import { Card, CopyButton, ErrorState, Loading, Pill } from '../../components/ui';
import { compact, clock } from '../../components/format';
import { snippets } from './snippets';
import { stateTone } from './state-tone';
import { tightestWindows, windowLabel } from '../quota/pool';
import { QuotaRow } from '../quota/QuotaRow';
import { FirstRun, markCopied } from './FirstRun';
import { trouble } from './health';
import { useLogs } from '../../stores/logs';
import { useUi } from '../../stores/ui';
import { useNow } from '../quota/QuotaRow';
import type { Status } from '../../../src-shared/domain';

export function Dashboard() {
  const { t, i18n } = useTranslation();
  const { status, error, busy, act, load } = useStatus();
  const settings = useSettings((s) => s.settings);
  const reveal = useSettings((s) => s.reveal);
  const quota = useQuota();
  if (error && !status) return <ErrorState message={error} onRetry={load} />;
  if (!status) return <Loading />;
  const key = settings?.apiKeys[0];
  const base = status.baseUrl ?? `http://${status.host}:${status.port}`;
  const realKey = async () => (key ? reveal(key.id) : '');
  const shown = key?.masked ?? 'sk-…';
  const tight = tightestWindows(quota.accounts, 3);
  const running = status.state === 'running';
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.dashboard')}</h1>
      <TroubleBanner status={status} />
      <PersistenceNotice status={status} />
      <FirstRun status={status} />
      <div className="grid-2">
        <Card
          id="proxy"
          title={t('dashboard.proxy')}
          actions={
            <Pill tone={stateTone(status.state)}>
              <span data-testid="engine-state">{t(`state.${status.state}`)}</span>
            </Pill>
          }
        >
          {status.error && <p className="form-error">{status.error}</p>}
          <dl className="kv">
            <dt>{t('dashboard.baseUrl')}</dt>
            <dd className="row">
              <code className="mono" data-testid="base-url">{base}</code>
              <CopyButton value={base} label={t('dashboard.baseUrl')} onCopied={markCopied} />
            </dd>
            <dt>{t('dashboard.apiKey')}</dt>
            <dd className="row">
              {key ? (
                <>
                  <code className="mono">{key.masked}</code>
                  <CopyButton value={realKey} label={t('dashboard.apiKey')} />
                </>
              ) : (
                <span className="muted">{t('dashboard.noApiKey')}</span>
              )}
            </dd>
          </dl>
          <div className="row gap">
            {running ? (
              <>
                {status.mode !== 'headless' && (
                  <button type="button" className="btn" disabled={busy} onClick={() => act('stop')}>
                    {t('dashboard.stop')}
                  </button>
                )}
                <button type="button" className="btn" disabled={busy} onClick={() => act('restart')}>
                  {t('dashboard.restart')}
                </button>
              </>
            ) : (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => act('start')}>
                {t('dashboard.start')}
              </button>
            )}
            {status.startedAt && running && <span className="muted small">{t('dashboard.since', { time: clock(status.startedAt, i18n.language) })}</span>}
          </div>
          {status.mode === 'headless' && (
            <p className="muted small" data-testid="headless-note">
              {t('dashboard.headless')}
            </p>
          )}
        </Card>
        <Card id="today" title={t('dashboard.today')}>
          <div className="stats">
            <Stat label={t('dashboard.requests')} value={compact(status.today.requests, i18n.language)} testId="today-requests" />
            <Stat label={t('dashboard.tokens')} value={compact(status.today.tokens, i18n.language)} />
            <Stat label={t('dashboard.errors')} value={compact(status.today.errors, i18n.language)} tone={status.today.errors ? 'bad' : undefined} />
          </div>
          <p className="muted small">
            {t('dashboard.accounts')}: {t('dashboard.accountsLine', status.accounts)}
          </p>
        </Card>
      </div>
      <Card id="tight" title={t('dashboard.tightest')}>
        {tight.length === 0 ? (
          <p className="muted">{t('dashboard.noQuota')}</p>
        ) : (
          <ul className="quota-list">
            {tight.map(({ account, window }) => (
              <QuotaRow key={`${account.accountId}/${window.id}`} window={window} thresholds={quota.thresholds} title={`${account.label} · ${windowLabel(t, window)}`} />
            ))}
          </ul>
        )}
      </Card>
      <Card id="setup" title={t('dashboard.setup')}>
        <p className="muted small">{t('dashboard.setupIntro')}</p>
        <Tabs.Root defaultValue="cursor" className="tabs">
          <Tabs.List className="tab-list" aria-label={t('dashboard.setup')}>
            {snippets(base, shown).map((s) => (
              <Tabs.Trigger key={s.id} value={s.id} className="tab">
                {s.title}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          {snippets(base, shown).map((s) => (
            <Tabs.Content key={s.id} value={s.id} className="tab-panel">
              <pre className="code">{s.text}</pre>
              <CopyButton value={async () => snippets(base, key ? await realKey() : shown).find((x) => x.id === s.id)!.text} label={s.title} onCopied={markCopied} />
            </Tabs.Content>
          ))}
        </Tabs.Root>
      </Card>
    </div>
  );
}

/** Stores that fall back to memory lose their data on restart: say which, once, on the dashboard. */
function PersistenceNotice(props: { status: Status }) {
  const { t } = useTranslation();
  const p = props.status.persistence;
  if (!p) return null;
  const lost = (['usage', 'cooldowns', 'quota'] as const).filter((k) => !p[k]);
  if (lost.length === 0) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="persistence-notice">
      {t('dashboard.memoryOnly', { what: lost.map((k) => t(`dashboard.stores.${k}`)).join(', ') })}
    </div>
  );
}

function TroubleBanner(props: { status: Status }) {
  const { t } = useTranslation();
  const recent = useLogs((s) => s.entries);
  const go = useUi((s) => s.go);
  const now = useNow(10_000);
  const tr = trouble(props.status, recent, now);
  if (!tr) return null;
  return (
    <div className="banner banner-bad" role="alert" data-testid="trouble-banner">
      <span>
        {tr.kind === 'blocked' ? t('dashboard.blocked', { blocked: tr.blocked, usable: tr.usable }) : t('dashboard.unreachable', { count: tr.failures })}
        {tr.kind === 'unreachable' && tr.message ? ` ${tr.message}` : ''}
      </span>
      <button type="button" className="btn btn-small" onClick={() => go(tr.kind === 'blocked' ? 'accounts' : 'logs')}>
        {tr.kind === 'blocked' ? t('dashboard.seeAccounts') : t('dashboard.seeLogs')}
      </button>
    </div>
  );
}

function Stat(props: { label: string; value: string; tone?: 'bad'; testId?: string }) {
  return (
    <div className={`stat ${props.tone ? `stat-${props.tone}` : ''}`}>
      <div className="stat-value" data-testid={props.testId}>
        {props.value}
      </div>
      <div className="stat-label">{props.label}</div>
    </div>
  );
}
