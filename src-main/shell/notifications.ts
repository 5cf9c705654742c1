/**
 * Desktop notifications: quota low / used up / reset (decided by the engine, which owns the
 * thresholds and the reset rule and never warns about balances; only shown here),
 * account needs sign-in, proxy error / port busy, sign-in result, update ready. All text
 * follows the app's language. `notify` is the only side effect.
 */
import { Notification } from 'electron';
import type { DesktopAccount, DesktopEvent, DesktopQuotaAlert } from '../engine/control/control';
import { countdown, percent } from './format';
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

export class Notifier {
  private readonly notify: Notify;
  private readonly now: () => number;
  private readonly providerName: (id: string) => string;
  private readonly strings: () => ShellStrings;
  private accountStatus = new Map<string, DesktopAccount['status']>();

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

  /**
   * The engine crossed a threshold, or a window it warned about started a new period: say so.
   * The engine decides both (thresholds, the reset rule, never for balances); this only words it.
   */
  threshold(e: DesktopQuotaAlert): void {
    const t = this.strings();
    const who = this.who(e.provider, e.accountLabel);
    if (e.level === 'recovered') return this.notify(t.quotaReset, t.quotaResetBody(who, e.windowLabel, percent(e.percentLeft)));
    const left = Math.max(0, e.percentLeft);
    this.notify(left <= 0 ? t.quotaUsedUp : t.quotaLow, t.quotaLowBody(who, e.windowLabel, percent(left), countdown(e.resetAt, this.now(), t)));
  }

  /** Feed the account list; warns once when an account starts needing a sign-in. */
  accounts(accounts: DesktopAccount[]): void {
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
  event(ev: DesktopEvent): void {
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
