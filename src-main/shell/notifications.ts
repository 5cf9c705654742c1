/**
 * Desktop notifications: quota low (once per threshold per window cycle), quota reset (for
 * windows we warned about), account needs sign-in, proxy error / port busy, sign-in result,
 * update ready. Decisions are pure state over snapshots; `notify` is the only side effect.
 */
import { Notification } from 'electron';
import type { ShellAccount, ShellAccountQuota, ShellEngineEvent } from './engine-port';
import { countdown, percent } from './format';

export type Notify = (title: string, body: string) => void;

export const electronNotify: Notify = (title, body) => {
  if (!Notification.isSupported()) return;
  new Notification({ title, body, silent: false }).show();
};

export interface NotifierOptions {
  notify?: Notify;
  /** Percent-used levels that warn, ascending. Default: 80 and 95 (20 % and 5 % left). */
  thresholds?: number[] | (() => number[]);
  now?: () => number;
  providerName?: (id: string) => string;
}

interface WindowMemory {
  resetAt: number | null;
  usedPercent: number;
  /** Highest threshold already announced in this cycle (-1 = none). */
  warned: number;
}

export class Notifier {
  private readonly notify: Notify;
  private readonly thresholdSource: () => number[];
  private readonly now: () => number;
  private readonly providerName: (id: string) => string;
  private windows = new Map<string, WindowMemory>();
  private accountStatus = new Map<string, ShellAccount['status']>();

  constructor(o: NotifierOptions = {}) {
    this.notify = o.notify ?? electronNotify;
    const t = o.thresholds ?? [80, 95];
    this.thresholdSource = typeof t === 'function' ? t : () => t;
    this.now = o.now ?? Date.now;
    this.providerName = o.providerName ?? ((id) => id);
  }

  private get thresholds(): number[] {
    return [...this.thresholdSource()].filter((n) => Number.isFinite(n)).sort((a, b) => a - b);
  }

  /** Feed the latest quota snapshot; warns on upward threshold crossings and on resets. */
  quota(accounts: ShellAccount[], quota: ShellAccountQuota[]): void {
    const thresholds = this.thresholds;
    const byId = new Map(accounts.map((a) => [a.id, a]));
    for (const q of quota) {
      const account = byId.get(q.accountId);
      if (!account || account.status === 'disabled') continue;
      for (const w of q.windows) {
        const key = `${q.accountId}\u0000${w.id}`;
        const prev = this.windows.get(key);
        const mem: WindowMemory = prev ? { ...prev } : { resetAt: w.resetAt, usedPercent: w.usedPercent, warned: -1 };
        const who = `${this.providerName(account.provider)} · ${account.label}`;
        if (prev && isNewCycle(prev, w.resetAt, w.usedPercent)) {
          if (prev.warned >= 0) this.notify('Quota reset', `${who}: ${w.label} window is back to ${percent(w.usedPercent)} used.`);
          mem.warned = -1;
        }
        mem.resetAt = w.resetAt;
        mem.usedPercent = w.usedPercent;
        const crossed = thresholds.filter((t) => w.usedPercent >= t && t > mem.warned);
        if (crossed.length) {
          const t = crossed[crossed.length - 1];
          mem.warned = t;
          const reset = countdown(w.resetAt, this.now());
          this.notify(
            w.usedPercent >= 100 ? 'Quota used up' : 'Quota low',
            `${who}: ${w.label} window ${percent(w.usedPercent)} used${reset ? `, resets in ${reset}` : ''}.`,
          );
        }
        this.windows.set(key, mem);
      }
    }
  }

  /** Feed the account list; warns once when an account starts needing a sign-in. */
  accounts(accounts: ShellAccount[]): void {
    const seen = new Set<string>();
    for (const a of accounts) {
      seen.add(a.id);
      const before = this.accountStatus.get(a.id);
      if (a.status === 'needs-sign-in' && before !== 'needs-sign-in') {
        this.notify('Sign-in needed', `${this.providerName(a.provider)} · ${a.label} needs you to sign in again.`);
      }
      this.accountStatus.set(a.id, a.status);
    }
    for (const id of [...this.accountStatus.keys()]) if (!seen.has(id)) this.accountStatus.delete(id);
  }

  /** Engine events that deserve a notification by themselves. */
  event(ev: ShellEngineEvent): void {
    if (ev.type === 'error') {
      this.notify(ev.code === 'port-busy' ? 'Port busy' : 'Proxy error', ev.message);
    } else if (ev.type === 'sign-in' && ev.status === 'succeeded') {
      this.notify('Signed in', `${this.providerName(ev.provider)}${ev.accountLabel ? ` · ${ev.accountLabel}` : ''} is ready to use.`);
    } else if (ev.type === 'sign-in' && ev.status === 'failed') {
      this.notify('Sign-in failed', `${this.providerName(ev.provider)}: ${ev.message ?? 'the sign-in did not complete'}`);
    }
  }

  updateReady(version: string): void {
    this.notify('Update ready', `Switchyard ${version} is downloaded. Choose "Restart to update" in the tray menu to install it.`);
  }
}

/** A window started over: its reset time moved forward, or usage fell back a lot. */
function isNewCycle(prev: WindowMemory, resetAt: number | null, used: number): boolean {
  if (prev.resetAt !== null && resetAt !== null && resetAt > prev.resetAt + 60_000) return true;
  return used + 25 < prev.usedPercent;
}
