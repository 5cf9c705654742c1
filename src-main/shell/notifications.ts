/**
 * Desktop notifications: quota low / used up (decided by the engine, which owns the thresholds
 * and never warns about balances; shown here), quota reset (for windows we warned about),
 * account needs sign-in, proxy error / port busy, sign-in result, update ready. All text
 * follows the app's language. `notify` is the only side effect.
 */
import { Notification } from 'electron';
import type { ShellAccount, ShellAccountQuota, ShellEngineEvent, ShellQuotaThreshold } from './engine-port';
import { countdown, percent, percentLeft } from './format';
import { shellStrings, type ShellStrings } from './i18n';

export type Notify = (title: string, body: string) => void;

export const electronNotify: Notify = (title, body) => {
  if (!Notification.isSupported()) return;
  new Notification({ title, body, silent: false }).show();
};

export interface NotifierOptions {
  notify?: Notify;
  now?: () => number;
  providerName?: (id: string) => string;
  strings?: () => ShellStrings;
}

/** A window the engine warned about, until it starts a new cycle. */
interface Warned {
  resetAt: number | null;
  percentLeft: number;
}

export class Notifier {
  private readonly notify: Notify;
  private readonly now: () => number;
  private readonly providerName: (id: string) => string;
  private readonly strings: () => ShellStrings;
  private warned = new Map<string, Warned>();
  private accountStatus = new Map<string, ShellAccount['status']>();

  constructor(o: NotifierOptions = {}) {
    this.notify = o.notify ?? electronNotify;
    this.now = o.now ?? Date.now;
    this.providerName = o.providerName ?? ((id) => id);
    const en = shellStrings('en');
    this.strings = o.strings ?? (() => en);
  }

  private who(provider: string, label: string): string {
    return `${this.providerName(provider)} · ${label}`;
  }

  /** The engine crossed a threshold: say so (once per crossing; the engine remembers which). */
  threshold(e: ShellQuotaThreshold): void {
    const t = this.strings();
    const left = Math.max(0, e.percentLeft);
    this.warned.set(`${e.accountId}\u0000${e.windowId}`, { resetAt: e.resetAt, percentLeft: left });
    this.notify(left <= 0 ? t.quotaUsedUp : t.quotaLow, t.quotaLowBody(this.who(e.provider, e.accountLabel), e.windowLabel, percent(left), countdown(e.resetAt, this.now(), t)));
  }

  /** Feed the latest quota snapshot: a window we warned about that started over is announced. */
  quota(accounts: ShellAccount[], quota: ShellAccountQuota[]): void {
    if (this.warned.size === 0) return;
    const t = this.strings();
    const byId = new Map(accounts.map((a) => [a.id, a]));
    for (const q of quota) {
      const account = byId.get(q.accountId);
      if (!account) continue;
      for (const w of q.windows) {
        const key = `${q.accountId}\u0000${w.id}`;
        const prev = this.warned.get(key);
        if (!prev || w.isBalance || !isNewCycle(prev, w.resetAt, 100 - w.usedPercent)) continue;
        this.warned.delete(key);
        this.notify(t.quotaReset, t.quotaResetBody(this.who(account.provider, account.label), w.label, percentLeft(w.usedPercent)));
      }
    }
  }

  /** Feed the account list; warns once when an account starts needing a sign-in. */
  accounts(accounts: ShellAccount[]): void {
    const t = this.strings();
    const seen = new Set<string>();
    for (const a of accounts) {
      seen.add(a.id);
      const before = this.accountStatus.get(a.id);
      if (a.status === 'needs-sign-in' && before !== 'needs-sign-in') this.notify(t.signInNeeded, t.signInNeededBody(this.who(a.provider, a.label)));
      this.accountStatus.set(a.id, a.status);
    }
    for (const id of [...this.accountStatus.keys()]) if (!seen.has(id)) this.accountStatus.delete(id);
  }

  /** Engine events that deserve a notification by themselves. */
  event(ev: ShellEngineEvent): void {
    const t = this.strings();
    if (ev.type === 'error') {
      this.notify(ev.code === 'port-busy' ? t.portBusy : t.proxyError, ev.message);
    } else if (ev.type === 'quota-threshold') {
      this.threshold(ev);
    } else if (ev.type === 'sign-in' && ev.status === 'succeeded') {
      this.notify(t.signedIn, t.signedInBody(ev.accountLabel ? this.who(ev.provider, ev.accountLabel) : this.providerName(ev.provider)));
    } else if (ev.type === 'sign-in' && ev.status === 'failed') {
      this.notify(t.signInFailed, t.signInFailedBody(this.providerName(ev.provider), ev.message));
    }
  }

  updateReady(version: string): void {
    const t = this.strings();
    this.notify(t.updateReady, t.updateReadyBody(version));
  }
}

/** A window started over: its reset time moved forward, or a lot more is left than when warned. */
function isNewCycle(prev: Warned, resetAt: number | null, left: number): boolean {
  if (prev.resetAt !== null && resetAt !== null && resetAt > prev.resetAt + 60_000) return true;
  return left > prev.percentLeft + 25;
}
