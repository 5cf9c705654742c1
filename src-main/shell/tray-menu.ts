/**
 * The tray's context menu as an Electron template, built from a snapshot. Pure (no Electron
 * calls), so tests read labels and structure directly. Top: the control panel (state,
 * Start/Stop, Copy URL, Open app) and one line per subscription account with its tightest
 * window; then a submenu per provider with every meter, balances and sign-in.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopAccount, DesktopProvider, DesktopMeterWindow } from '../engine/control/control';
import { countdown, percentLeft } from './format';
import type { ShellStrings } from './i18n';
import { menuProviders, statusLine, stringsOf, tightestOf, type TraySnapshot } from './tray-model';

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

/** "5h: 58% left · resets in 2h 13m", or a balance as a balance ("Credits: none"). */
export function meterLabel(w: DesktopMeterWindow, now: number, t: ShellStrings): string {
  if (w.isBalance) return t.balance(w.label, w.balance, w.usedPercent < 100);
  return t.meter(w.label, percentLeft(w.usedPercent), countdown(w.resetAt, now, t));
}

/** One glanceable line per subscription account: status and its tightest window. */
function accountLine(a: DesktopAccount, p: DesktopProvider, snap: TraySnapshot, actions: TrayActions): MenuItemConstructorOptions {
  const t = stringsOf(snap);
  const windows = snap.quota.find((q) => q.accountId === a.id)?.windows ?? [];
  const tight = a.status === 'disabled' || a.status === 'needs-sign-in' ? undefined : tightestOf(windows);
  const detail = tight ? ` — ${meterLabel(tight.window, snap.now, t)}` : '';
  const needsSignIn = a.status === 'needs-sign-in';
  return {
    id: `account-line:${a.id}`,
    label: `${a.label}${t.accountStatus[a.status]}${detail}`,
    enabled: needsSignIn,
    click: needsSignIn ? () => actions.signIn(p.id) : undefined,
  };
}

function providerSubmenu(p: DesktopProvider, snap: TraySnapshot, actions: TrayActions): MenuItemConstructorOptions {
  const t = stringsOf(snap);
  const accounts = snap.accounts.filter((a) => a.provider === p.id);
  const quota = new Map(snap.quota.map((q) => [q.accountId, q.windows]));
  const items: MenuItemConstructorOptions[] = [];
  for (const a of accounts) {
    const needsSignIn = a.status === 'needs-sign-in';
    items.push({
      id: `account:${a.id}`,
      label: `${a.label}${t.accountStatus[a.status]}`,
      // Only an account that needs a sign-in does something when clicked: it signs in again.
      enabled: needsSignIn && p.signIn,
      click: needsSignIn && p.signIn ? () => actions.signIn(p.id) : undefined,
    });
    const windows = quota.get(a.id) ?? [];
    for (const w of windows) items.push({ id: `meter:${a.id}:${w.id}`, label: `    ${meterLabel(w, snap.now, t)}`, enabled: false });
    if (windows.length === 0 && a.status !== 'disabled') items.push({ label: `    ${t.noQuotaYet}`, enabled: false });
  }
  if (accounts.length === 0) items.push({ label: t.noAccounts, enabled: false });
  if (p.signIn) {
    items.push({ type: 'separator' });
    items.push({ id: `sign-in:${p.id}`, label: accounts.length ? t.signInAnother : t.signIn, click: () => actions.signIn(p.id) });
  }
  const count = accounts.length ? ` (${accounts.length})` : '';
  return { id: `provider:${p.id}`, label: `${p.displayName}${count}`, submenu: items };
}

function updateItem(snap: TraySnapshot, actions: TrayActions): MenuItemConstructorOptions {
  const t = stringsOf(snap);
  switch (snap.update.kind) {
    case 'checking':
      return { id: 'update', label: t.checkingForUpdates, enabled: false };
    case 'available':
      return { id: 'update', label: t.downloadingUpdate(snap.update.version), enabled: false };
    case 'ready':
      return { id: 'update', label: t.restartToUpdate(snap.update.version), click: () => actions.installUpdate() };
    default:
      return { id: 'update', label: t.checkForUpdates, click: () => actions.checkForUpdates() };
  }
}

export function buildTrayTemplate(snap: TraySnapshot, actions: TrayActions): MenuItemConstructorOptions[] {
  const t = stringsOf(snap);
  const running = snap.state === 'running';
  const busy = snap.state === 'starting' || snap.state === 'stopping';
  const providers = menuProviders(snap.providers, snap.accounts);
  const subscription = new Map(snap.providers.filter((p) => p.signIn).map((p) => [p.id, p]));
  const lines = snap.accounts.flatMap((a) => {
    const p = subscription.get(a.provider);
    return p ? [accountLine(a, p, snap, actions)] : [];
  });
  return [
    { id: 'status', label: statusLine(snap), enabled: false },
    running || snap.state === 'stopping'
      ? { id: 'toggle', label: t.stopProxy, enabled: !busy, click: () => actions.stop() }
      : { id: 'toggle', label: t.startProxy, enabled: !busy, click: () => actions.start() },
    {
      id: 'copy-url',
      label: t.copyUrl,
      sublabel: snap.baseUrl,
      enabled: running && snap.baseUrl !== undefined,
      click: () => actions.copyBaseUrl(),
    },
    { id: 'open', label: t.openApp, click: () => actions.openApp() },
    { type: 'separator' },
    ...lines,
    ...(lines.length ? [{ type: 'separator' } as const] : []),
    ...providers.map((p) => providerSubmenu(p, snap, actions)),
    ...(providers.length ? [{ type: 'separator' } as const] : []),
    { id: 'refresh', label: t.refreshQuotas, enabled: snap.accounts.length > 0, click: () => actions.refreshQuotas() },
    { type: 'separator' },
    { id: 'login-item', label: t.launchAtLogin, type: 'checkbox', checked: snap.launchAtLogin, click: (item) => actions.setLaunchAtLogin(item.checked) },
    updateItem(snap, actions),
    { type: 'separator' },
    { id: 'quit', label: t.quit, click: () => actions.quit() },
  ];
}
