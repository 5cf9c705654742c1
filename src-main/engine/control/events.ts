import { contract, validateEvent, type EventChannel, type EventPayload } from '../../../src-shared/contract';
import type { ControlDeps } from './context';
import type { EngineEvent } from './engine-facade';
import { toAccountSummary, toLogEntry } from './mappers';
import { quotaAccounts } from './quota-usage-handlers';
import { buildSettings } from './settings-handlers';
import { buildStatus } from './status-handlers';

export type ContractEvent = { [K in EventChannel]: { event: K; payload: EventPayload<K> } }[EventChannel];
export type ContractEventListener = (e: ContractEvent) => void;

export interface ControlEvents {
  /** Every contract event, validated and stripped like responses. Returns unsubscribe. */
  subscribe(listener: ContractEventListener): () => void;
}

export interface EventHubOptions {
  /** Quota snapshots go out at most this often (snapshots, not deltas). */
  quotaThrottleMs?: number;
  /** Status (today's counters) refreshes at most this often while traffic flows. */
  statusThrottleMs?: number;
}

/**
 * Turns engine happenings into contract events. Quota and status are throttled: a busy proxy
 * changes them on every response and the UI only needs a few frames a second.
 */
export class EventHub implements ControlEvents {
  private listeners = new Set<ContractEventListener>();
  private pendingQuota = new Set<string>();
  private quotaTimer?: ReturnType<typeof setTimeout>;
  private statusTimer?: ReturnType<typeof setTimeout>;
  private readonly unsubscribeEngine: () => void;

  constructor(
    private readonly d: ControlDeps,
    private readonly opts: EventHubOptions = {},
  ) {
    this.unsubscribeEngine = d.facade.subscribe((e) => this.onEngine(e));
  }

  subscribe(listener: ContractEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.unsubscribeEngine();
    clearTimeout(this.quotaTimer);
    clearTimeout(this.statusTimer);
    this.listeners.clear();
  }

  private emit<K extends EventChannel>(event: K, payload: EventPayload<K>): void {
    if (!this.listeners.size) return;
    const checked = validateEvent(contract, event, payload);
    if (!checked.ok) return; // a malformed engine event is dropped rather than crash a transport
    const e = { event, payload: checked.data } as ContractEvent;
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // one broken transport must not starve the others
      }
    }
  }

  private onEngine(e: EngineEvent): void {
    if (!this.listeners.size) return;
    const d = this.d;
    switch (e.type) {
      case 'state':
        this.emit('app:status:changed', buildStatus(d));
        return;
      case 'accounts':
        this.emit('app:accounts:changed', { accounts: d.facade.accounts.list().map(toAccountSummary) });
        this.emit('app:status:changed', buildStatus(d));
        return;
      case 'sign-in-progress':
        this.emit('app:accounts:sign-in-progress', e.progress);
        return;
      case 'sign-in-result': {
        const o = e.outcome;
        const v = o.accountId ? d.facade.accounts.list().find((a) => a.account.id === o.accountId) : undefined;
        this.emit('app:accounts:sign-in-result', {
          flowId: o.flowId,
          provider: o.provider,
          ok: o.ok,
          account: v ? toAccountSummary(v) : null,
          error: o.error,
        });
        return;
      }
      case 'quota':
        for (const id of e.accountIds) this.pendingQuota.add(id);
        this.quotaTimer ??= setTimeout(() => this.flushQuota(), this.opts.quotaThrottleMs ?? 250);
        return;
      case 'quota-threshold':
        this.emit('app:quota:threshold', e.event);
        return;
      case 'request':
        this.emit('app:logs:request-logged', toLogEntry(e.record));
        this.statusTimer ??= setTimeout(() => {
          this.statusTimer = undefined;
          this.emit('app:status:changed', buildStatus(this.d));
        }, this.opts.statusThrottleMs ?? 1000);
        return;
      case 'settings':
        this.emit('app:settings:changed', buildSettings(d));
        return;
    }
  }

  private flushQuota(): void {
    this.quotaTimer = undefined;
    const ids = new Set(this.pendingQuota);
    this.pendingQuota.clear();
    if (!ids.size) return;
    this.emit('app:quota:updated', { accounts: quotaAccounts(this.d, ids), at: this.d.now() });
  }
}
