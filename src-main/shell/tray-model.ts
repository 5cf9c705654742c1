/**
 * What the tray shows, computed from an engine snapshot: status line, tooltip, title, icon
 * state and the tightest quota window. Pure, so every state x account set can be checked in
 * tests. Balances (credits, extra usage) never count as the tightest window.
 */
import type { IconState } from './icons/draw';
import type { DesktopAccount, DesktopAccountQuota, DesktopProvider, DesktopMeterWindow } from '../engine/control/control';
import type { EngineState } from '../../src-shared/domain';
import { countdown, percent } from './format';
import { shellStrings, type ShellStrings } from './i18n';

export interface TraySnapshot {
  state: EngineState;
  port: number;
  baseUrl: string | undefined;
  lastError: string | undefined;
  accounts: DesktopAccount[];
  quota: DesktopAccountQuota[];
  providers: DesktopProvider[];
  launchAtLogin: boolean;
  update: UpdateStatus;
  now: number;
  /** Strings in the app's language (English when absent). */
  t?: ShellStrings;
}

export type UpdateStatus = { kind: 'idle' } | { kind: 'checking' } | { kind: 'available'; version: string } | { kind: 'ready'; version: string };

const EN = shellStrings('en');
export const stringsOf = (s: Pick<TraySnapshot, 't'>): ShellStrings => s.t ?? EN;

export function statusLine(s: Pick<TraySnapshot, 'state' | 'port' | 'lastError' | 't'>): string {
  const t = stringsOf(s);
  switch (s.state) {
    case 'running':
      return t.running(s.port);
    case 'starting':
      return t.starting;
    case 'stopping':
      return t.stopping;
    case 'stopped':
      return t.stopped;
    case 'error':
      return t.error(s.lastError);
  }
}

/** First line: state and account count; second line (running): the tightest window. */
export function tooltip(s: Pick<TraySnapshot, 'state' | 'port' | 'lastError' | 'accounts' | 'quota' | 'now' | 't'>): string {
  const t = stringsOf(s);
  const n = t.accounts(s.accounts.length);
  if (s.state === 'error') return t.tooltipError(s.lastError);
  if (s.state !== 'running') return t.tooltipOther(t.stateName(s.state), n);
  const head = t.tooltipRunning(s.port, n);
  const tight = tightestWindow(s.accounts, s.quota);
  if (!tight) return head;
  return `${head}\n${t.tightest(tight.account.label, tight.window.label, percent(tight.remaining * 100), countdown(tight.window.resetAt, s.now, t))}`;
}

/** macOS menu-bar title next to the icon: the tightest window's % left while running. */
export function trayTitle(s: Pick<TraySnapshot, 'state' | 'accounts' | 'quota'>): string {
  if (s.state !== 'running') return '';
  const tight = tightestWindow(s.accounts, s.quota);
  return tight ? percent(tight.remaining * 100) : '';
}

export function iconState(state: EngineState): IconState {
  if (state === 'error') return 'error';
  return state === 'running' ? 'running' : 'stopped';
}

export interface TightestWindow {
  account: DesktopAccount;
  window: DesktopMeterWindow;
  /** Fraction left, 0..1. */
  remaining: number;
}

/** The window with the least left in one list (balances excluded). */
export function tightestOf(windows: DesktopMeterWindow[]): { window: DesktopMeterWindow; remaining: number } | undefined {
  let best: { window: DesktopMeterWindow; remaining: number } | undefined;
  for (const w of windows) {
    if (w.isBalance) continue;
    const remaining = 1 - Math.min(100, Math.max(0, w.usedPercent)) / 100;
    if (!best || remaining < best.remaining) best = { window: w, remaining };
  }
  return best;
}

/** The window with the least quota left among usable accounts (disabled ones and balances do not count). */
export function tightestWindow(accounts: DesktopAccount[], quota: DesktopAccountQuota[]): TightestWindow | undefined {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  let best: TightestWindow | undefined;
  for (const q of quota) {
    const account = byId.get(q.accountId);
    if (!account || account.status === 'disabled') continue;
    const t = tightestOf(q.windows);
    if (t && (!best || t.remaining < best.remaining)) best = { account, ...t };
  }
  return best;
}

/** Providers that get a submenu: those with accounts, then the ones one can sign in to. */
export function menuProviders(providers: DesktopProvider[], accounts: DesktopAccount[]): DesktopProvider[] {
  const withAccounts = new Set(accounts.map((a) => a.provider));
  return providers.filter((p) => withAccounts.has(p.id) || p.signIn);
}
