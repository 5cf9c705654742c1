import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { connectHttp, connectIpc, hasIpc, saveKey, savedKey } from './api/connection';
import { ClientError } from './api/client';
import { useConnection } from './stores/connection';
import { useStatus } from './stores/status';
import { useAccounts } from './stores/accounts';
import { useQuota } from './stores/quota';
import { useUsage } from './stores/usage';
import { useLogs } from './stores/logs';
import { useMappings } from './stores/mappings';
import { useSettings } from './stores/settings';
import { useUi } from './stores/ui';
import { applyAppearance } from './theme';
import { KeyGate } from './features/gate/KeyGate';
import { Shell } from './features/shell/Shell';
import { TrayView } from './features/tray/TrayView';
import { Loading } from './components/ui';
import { ErrorBoundary } from './components/ErrorBoundary';

/** Try a management key: connect, make one call, keep the client if it is accepted. */
export async function connectWithKey(key: string, remember: boolean): Promise<string | null> {
  const conn = useConnection.getState();
  conn.set({ phase: 'checking', error: null });
  const { client, bridge } = connectHttp(key, (s) => {
    const c = useConnection.getState();
    if (s === 'open') c.set({ stream: 'open', epoch: c.epoch + 1 });
    else if (s === 'unauthorized' && c.phase === 'ready') {
      // The key was changed or revoked while the panel was open: back to the gate.
      disconnect();
      useConnection.getState().set({ error: 'wrong-key' });
    } else c.set({ stream: s });
  });
  try {
    await client.call('app:status:get');
  } catch (e) {
    bridge.close();
    const wrong = e instanceof ClientError && e.code === 'unauthorized';
    const message = wrong ? 'wrong-key' : e instanceof Error ? e.message : String(e);
    conn.set({ phase: 'need-key', error: message, errorCode: e instanceof ClientError ? e.code : null });
    // A wrong key is forgotten; an unreachable server keeps it for the automatic retry.
    if (wrong) saveKey(null, false);
    else if (e instanceof ClientError && e.code === 'network') saveKey(key, remember);
    return message;
  }
  saveKey(key, remember);
  conn.set({ client, phase: 'ready', error: null, errorCode: null, disconnect: () => bridge.close() });
  return null;
}

export function disconnect(): void {
  const c = useConnection.getState();
  c.disconnect?.();
  saveKey(null, false);
  c.set({ client: null, phase: 'need-key', disconnect: null, stream: 'closed' });
}

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function App() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  const phase = useConnection((s) => s.phase);
  const client = useConnection((s) => s.client);
  const epoch = useConnection((s) => s.epoch);
  const settings = useSettings((s) => s.settings);
  const { t } = useTranslation();

  useEffect(() => {
    if (hasIpc()) {
      useConnection.getState().set({ client: connectIpc(), phase: 'ready', stream: 'ipc' });
      return;
    }
    const key = savedKey();
    if (key) void connectWithKey(key, localStorage.getItem('switchyard.managementKey') !== null);
  }, []);

  // Each slice owns its subscriptions; (re)connecting the stream re-runs them so snapshots are fresh.
  useEffect(() => {
    if (!client) return;
    const offs = [useStatus, useAccounts, useQuota, useUsage, useLogs, useMappings, useSettings].map((s) => s.getState().connect(client));
    return () => offs.forEach((off) => off());
  }, [client, epoch > 1 ? epoch : 0]);

  useEffect(() => {
    if (settings) applyAppearance(settings.theme, settings.language);
  }, [settings?.theme, settings?.language]);

  useEffect(() => {
    document.title = t('app.name');
  }, [t]);

  // Opened while the server was unreachable: keep the remembered key and try again until it answers.
  const errorCode = useConnection((s) => s.errorCode);
  useEffect(() => {
    if (phase !== 'need-key' || errorCode !== 'network') return;
    const key = savedKey();
    if (!key) return;
    const id = setTimeout(() => void connectWithKey(key, localStorage.getItem('switchyard.managementKey') !== null), 3000);
    return () => clearTimeout(id);
  }, [phase, errorCode]);

  const page = useUi((s) => s.page);
  // The tray icon's small window loads the same bundle at #/tray.
  let view: React.ReactNode;
  if (phase === 'ready' && client && hash === '#/tray') view = <TrayView />;
  else if (phase === 'ready' && client) view = <Shell page={page} />;
  else if (phase === 'checking' && savedKey()) view = <Loading />;
  else view = <KeyGate />;
  return <ErrorBoundary resetKey={hash}>{view}</ErrorBoundary>;
}
