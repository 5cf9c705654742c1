import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings, SettingsPatch } from '../../../src-shared/domain';
import { useSettings } from '../../stores/settings';
import { useStatus } from '../../stores/status';
import { useUi } from '../../stores/ui';
import { useConnection, errorText } from '../../stores/connection';
import { Card, ErrorState, Field, Loading } from '../../components/ui';
import { ApiKeys } from './ApiKeys';
import { disconnect } from '../../App';

export function SettingsPage() {
  const { t } = useTranslation();
  const { settings, error, load, update, restartRequired } = useSettings();
  const toast = useUi((s) => s.toast);
  const act = useStatus((s) => s.act);
  const stream = useConnection((s) => s.stream);
  if (error && !settings) return <ErrorState message={error} onRetry={load} />;
  if (!settings) return <Loading />;
  const save = async (p: SettingsPatch) => {
    try {
      await update(p);
      toast('success', t('settings.saved'));
    } catch (e) {
      toast('error', errorText(e));
    }
  };
  return (
    <div className="page">
      <h1 className="page-title">{t('settings.title')}</h1>
      <Card id="appearance" title={t('settings.appearance')}>
        <div className="row gap wrap">
          <Field label={t('settings.language')} inline>
            <select value={settings.language} onChange={(e) => save({ language: e.target.value as Settings['language'] })} name="language">
              {(['system', 'en', 'zh-CN'] as const).map((l) => (
                <option key={l} value={l}>
                  {t(`settings.languages.${l}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('settings.theme')} inline>
            <select value={settings.theme} onChange={(e) => save({ theme: e.target.value as Settings['theme'] })} name="theme">
              {(['system', 'light', 'dark'] as const).map((l) => (
                <option key={l} value={l}>
                  {t(`settings.themes.${l}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </Card>
      <ServerSection settings={settings} save={save} />
      {restartRequired && (
        <div className="banner banner-warn row gap" role="status">
          {t('settings.restartNeeded')}
          <button type="button" className="btn btn-small" onClick={() => act('restart')}>
            {t('settings.restartNow')}
          </button>
        </div>
      )}
      <ApiKeys />
      <RoutingSection settings={settings} save={save} />
      {settings.launchAtLogin !== null && (
        <Card id="desktop" title={t('settings.desktop')}>
          <label className="check">
            <input type="checkbox" checked={!!settings.launchAtLogin} onChange={(e) => save({ launchAtLogin: e.target.checked })} />
            {t('settings.launchAtLogin')}
          </label>
          <label className="check">
            <input type="checkbox" checked={!!settings.startProxyAtLaunch} onChange={(e) => save({ startProxyAtLaunch: e.target.checked })} />
            {t('settings.startProxyAtLaunch')}
          </label>
        </Card>
      )}
      <PollingSection settings={settings} save={save} />
      {stream !== 'ipc' && (
        <Card id="connection" title={t('settings.connection')}>
          {settings.configPath && (
            <p className="small muted">
              {t('settings.configFile')}: <code className="mono">{settings.configPath}</code>
            </p>
          )}
          <button type="button" className="btn" onClick={disconnect}>
            {t('gate.signOut')}
          </button>
        </Card>
      )}
    </div>
  );
}

type SectionProps = { settings: Settings; save(p: SettingsPatch): Promise<void> };

/** Text/number fields keep a local draft and save together; they resync when settings change. */
function useDraft<T extends Record<string, string>>(from: () => T, deps: unknown[]): [T, (p: Partial<T>) => void] {
  const [d, setD] = useState<T>(from);
  useEffect(() => setD(from()), deps);
  return [d, (p) => setD((x) => ({ ...x, ...p }))];
}

function ServerSection({ settings, save }: SectionProps) {
  const { t } = useTranslation();
  const [d, set] = useDraft(() => ({ host: settings.host, port: String(settings.port) }), [settings.host, settings.port]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({ host: d.host.trim(), port: Number(d.port) });
  };
  return (
    <Card id="server" title={t('settings.server')}>
      <form className="form" onSubmit={submit}>
        <div className="grid-2 tight">
          <Field label={t('settings.host')}>
            <input value={d.host} onChange={(e) => set({ host: e.target.value })} required name="host" />
          </Field>
          <Field label={t('settings.port')}>
            <input type="number" min={0} max={65535} value={d.port} onChange={(e) => set({ port: e.target.value })} required name="port" />
          </Field>
        </div>
        <p className="field-hint">{t('settings.hostHint')}</p>
        <div>
          <button type="submit" className="btn">
            {t('app.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}

function RoutingSection({ settings, save }: SectionProps) {
  const { t } = useTranslation();
  const [d, set] = useDraft(
    () => ({ retry: String(settings.requestRetry), interval: String(settings.maxRetryInterval), creds: String(settings.maxRetryCredentials) }),
    [settings.requestRetry, settings.maxRetryInterval, settings.maxRetryCredentials],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({ requestRetry: Number(d.retry), maxRetryInterval: Number(d.interval), maxRetryCredentials: Number(d.creds) });
  };
  return (
    <Card id="routing" title={t('settings.routing')}>
      <form className="form" onSubmit={submit}>
        <Field label={t('settings.strategy')}>
          <select value={settings.routingStrategy} onChange={(e) => save({ routingStrategy: e.target.value as Settings['routingStrategy'] })} name="strategy">
            {(['round-robin', 'fill-first', 'weighted-round-robin'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`settings.strategies.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <div className="grid-3">
          <Field label={t('settings.retries')}>
            <input type="number" min={0} max={20} value={d.retry} onChange={(e) => set({ retry: e.target.value })} name="requestRetry" />
          </Field>
          <Field label={t('settings.maxRetryInterval')}>
            <input type="number" min={0} value={d.interval} onChange={(e) => set({ interval: e.target.value })} />
          </Field>
          <Field label={t('settings.maxRetryCredentials')}>
            <input type="number" min={0} value={d.creds} onChange={(e) => set({ creds: e.target.value })} />
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={settings.disableCooling} onChange={(e) => save({ disableCooling: e.target.checked })} />
          {t('settings.disableCooling')}
        </label>
        <div>
          <button type="submit" className="btn">
            {t('app.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}

function PollingSection({ settings, save }: SectionProps) {
  const { t } = useTranslation();
  const q = settings.quotaPolling;
  const [d, set] = useDraft(() => ({ minutes: String(q.pollMinutes), budget: String(q.budgetPerHour) }), [q.pollMinutes, q.budgetPerHour]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({ quotaPolling: { pollMinutes: Number(d.minutes), budgetPerHour: Number(d.budget) } });
  };
  return (
    <Card id="polling" title={t('settings.quotaPolling')}>
      <form className="form" onSubmit={submit}>
        <label className="check">
          <input type="checkbox" checked={q.enabled} onChange={(e) => save({ quotaPolling: { enabled: e.target.checked } })} />
          {t('settings.pollEnabled')}
        </label>
        <div className="grid-2 tight">
          <Field label={t('settings.pollMinutes')}>
            <input type="number" min={1} value={d.minutes} onChange={(e) => set({ minutes: e.target.value })} disabled={!q.enabled} />
          </Field>
          <Field label={t('settings.pollBudget')}>
            <input type="number" min={0} value={d.budget} onChange={(e) => set({ budget: e.target.value })} disabled={!q.enabled} />
          </Field>
        </div>
        <div>
          <button type="submit" className="btn" disabled={!q.enabled}>
            {t('app.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}
