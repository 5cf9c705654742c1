/**
 * What the tray shows, computed from an engine snapshot: status line, tooltip, icon state and
 * the tightest quota window. Pure, so every state x account set can be checked in tests.
 */
import type { IconState } from './icons/draw';
import type { ShellAccount, ShellAccountQuota, ShellEngineState, ShellProvider, ShellQuotaWindow } from './engine-port';
import { plural } from './format';

export interface TraySnapshot {
  state: ShellEngineState;
  port: number;
  baseUrl: string | undefined;
  lastError: string | undefined;
  accounts: ShellAccount[];
  quota: ShellAccountQuota[];
  providers: ShellProvider[];
  launchAtLogin: boolean;
  update: UpdateStatus;
  now: number;
}

export type UpdateStatus = { kind: 'idle' } | { kind: 'checking' } | { kind: 'available'; version: string } | { kind: 'ready'; version: string };

export function statusLine(s: Pick<TraySnapshot, 'state' | 'port' | 'lastError'>): string {
  switch (s.state) {
    case 'running':
      return `Running on :${s.port}`;
    case 'starting':
      return 'Starting…';
    case 'stopping':
      return 'Stopping…';
    case 'stopped':
      return 'Proxy stopped';
    case 'error':
      return `Error: ${s.lastError ?? 'the proxy failed'}`;
  }
}

export function tooltip(s: Pick<TraySnapshot, 'state' | 'port' | 'lastError' | 'accounts'>): string {
  const n = plural(s.accounts.length, 'account');
  switch (s.state) {
    case 'running':
      return `Switchyard — running on :${s.port} · ${n}`;
    case 'error':
      return `Switchyard — error: ${s.lastError ?? 'the proxy failed'}`;
    default:
      return `Switchyard — ${s.state} · ${n}`;
  }
}

export function iconState(state: ShellEngineState): IconState {
  if (state === 'error') return 'error';
  return state === 'running' ? 'running' : 'stopped';
}

export interface TightestWindow {
  account: ShellAccount;
  window: ShellQuotaWindow;
  /** Fraction left, 0..1. */
  remaining: number;
}

/** The window with the least quota left among usable accounts (disabled ones do not count). */
export function tightestWindow(accounts: ShellAccount[], quota: ShellAccountQuota[]): TightestWindow | undefined {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  let best: TightestWindow | undefined;
  for (const q of quota) {
    const account = byId.get(q.accountId);
    if (!account || account.status === 'disabled') continue;
    for (const w of q.windows) {
      const remaining = 1 - Math.min(100, Math.max(0, w.usedPercent)) / 100;
      if (!best || remaining < best.remaining) best = { account, window: w, remaining };
    }
  }
  return best;
}

/** Providers that get a submenu: those with accounts, then the ones one can sign in to. */
export function menuProviders(providers: ShellProvider[], accounts: ShellAccount[]): ShellProvider[] {
  const withAccounts = new Set(accounts.map((a) => a.provider));
  return providers.filter((p) => withAccounts.has(p.id) || p.signIn);
}
