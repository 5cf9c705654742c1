/**
 * The tray's context menu as an Electron template, built from a snapshot. Pure (no Electron
 * calls), so tests read labels and structure directly.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { ShellAccount, ShellProvider, ShellQuotaWindow } from './engine-port';
import { countdown, percent } from './format';
import { menuProviders, statusLine, type TraySnapshot } from './tray-model';

export interface TrayActions {
  start(): void;
  stop(): void;
  copyBaseUrl(): void;
  signIn(provider: string): void;
  refreshQuotas(): void;
  openApp(): void;
  setLaunchAtLogin(on: boolean): void;
  checkForUpdates(): void;
  installUpdate(): void;
  quit(): void;
}

const ACCOUNT_STATUS: Record<ShellAccount['status'], string> = {
  ok: '',
  cooling: ' — cooling down',
  'needs-sign-in': ' — needs sign-in',
  disabled: ' — disabled',
  error: ' — error',
};

export function meterLabel(w: ShellQuotaWindow, now: number): string {
  const reset = countdown(w.resetAt, now);
  return `    ${w.label}: ${percent(w.usedPercent)} used${reset ? ` · resets in ${reset}` : ''}`;
}

function providerSubmenu(p: ShellProvider, snap: TraySnapshot, actions: TrayActions): MenuItemConstructorOptions {
  const accounts = snap.accounts.filter((a) => a.provider === p.id);
  const quota = new Map(snap.quota.map((q) => [q.accountId, q.windows]));
  const items: MenuItemConstructorOptions[] = [];
  for (const a of accounts) {
    const needsSignIn = a.status === 'needs-sign-in';
    items.push({
      id: `account:${a.id}`,
      label: `${a.label}${ACCOUNT_STATUS[a.status]}`,
      // Only an account that needs a sign-in does something when clicked: it signs in again.
      enabled: needsSignIn && p.signIn,
      click: needsSignIn && p.signIn ? () => actions.signIn(p.id) : undefined,
    });
    const windows = quota.get(a.id) ?? [];
    for (const w of windows) items.push({ id: `meter:${a.id}:${w.id}`, label: meterLabel(w, snap.now), enabled: false });
    if (windows.length === 0 && a.status !== 'disabled') items.push({ label: '    no quota data yet', enabled: false });
  }
  if (accounts.length === 0) items.push({ label: 'No accounts', enabled: false });
  if (p.signIn) {
    items.push({ type: 'separator' });
    items.push({
      id: `sign-in:${p.id}`,
      label: accounts.length ? 'Sign in another account…' : 'Sign in…',
      click: () => actions.signIn(p.id),
    });
  }
  const count = accounts.length ? ` (${accounts.length})` : '';
  return { id: `provider:${p.id}`, label: `${p.displayName}${count}`, submenu: items };
}

function updateItem(snap: TraySnapshot, actions: TrayActions): MenuItemConstructorOptions {
  switch (snap.update.kind) {
    case 'checking':
      return { id: 'update', label: 'Checking for updates…', enabled: false };
    case 'available':
      return { id: 'update', label: `Downloading update ${snap.update.version}…`, enabled: false };
    case 'ready':
      return { id: 'update', label: `Restart to update to ${snap.update.version}`, click: () => actions.installUpdate() };
    default:
      return { id: 'update', label: 'Check for updates', click: () => actions.checkForUpdates() };
  }
}

export function buildTrayTemplate(snap: TraySnapshot, actions: TrayActions): MenuItemConstructorOptions[] {
  const running = snap.state === 'running';
  const busy = snap.state === 'starting' || snap.state === 'stopping';
  const providers = menuProviders(snap.providers, snap.accounts);
  return [
    { id: 'status', label: statusLine(snap), enabled: false },
    running || snap.state === 'stopping'
      ? { id: 'toggle', label: 'Stop proxy', enabled: !busy, click: () => actions.stop() }
      : { id: 'toggle', label: 'Start proxy', enabled: !busy, click: () => actions.start() },
    {
      id: 'copy-url',
      label: 'Copy base URL',
      sublabel: snap.baseUrl,
      enabled: running && snap.baseUrl !== undefined,
      click: () => actions.copyBaseUrl(),
    },
    { type: 'separator' },
    ...providers.map((p) => providerSubmenu(p, snap, actions)),
    ...(providers.length ? [{ type: 'separator' } as const] : []),
    { id: 'refresh', label: 'Refresh quotas', enabled: snap.accounts.length > 0, click: () => actions.refreshQuotas() },
    { id: 'open', label: 'Open Switchyard', click: () => actions.openApp() },
    { type: 'separator' },
    {
      id: 'login-item',
      label: 'Launch at login',
      type: 'checkbox',
      checked: snap.launchAtLogin,
      click: (item) => actions.setLaunchAtLogin(item.checked),
    },
    updateItem(snap, actions),
    { type: 'separator' },
    { id: 'quit', label: 'Quit Switchyard', click: () => actions.quit() },
  ];
}
