import type { Dispatcher } from 'undici';
import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import type { Account } from '../providers/provider';
import type { PipelineObserver } from '../pipeline/types';
import type { LocalUsageCounter } from '../usage/recorder';
import { createQuotaFetch } from './http';
import { QuotaBook } from './quota-book';
import type { QuotaStore } from './store';
import { quotaSources } from './registry';
import { QuotaScheduler } from './scheduler';
import type { CredentialUse, QuotaSource } from './source';
import type { Timers } from './timers';

type QuotaConfig = Pick<SwitchyardConfig, 'quota' | 'host-overrides'>;

export interface QuotaServiceOptions {
  /** SQLite file for snapshots (the usage db is fine); omit for memory only. */
  dbPath?: string;
  /** An already opened store (the engine opens it so a failure degrades instead of throwing). */
  store?: QuotaStore;
  config: QuotaConfig;
  accounts: () => readonly Account[];
  /** Fresh access token for an account (token cache); `account-api`: the secret the provider's account API takes. */
  credential: (account: Account, use: CredentialUse) => Promise<string>;
  /** Keep-alive pool / per-account proxy (e.g. `(a) => dispatchers.get(a.proxyUrl)`). */
  dispatcherFor?: (account: Account) => Dispatcher;
  localCounter?: LocalUsageCounter | (() => LocalUsageCounter | undefined);
  /** Percent-left warnings; default [20, 5]. */
  thresholds?: readonly number[];
  sources?: Readonly<Partial<Record<string, QuotaSource>>>;
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  onPollError?: (account: Account, err: unknown) => void;
}

/**
 * The quota feature wired together: the book, the scheduler, and a pipeline observer that feeds
 * the book from proxied traffic. The engine creates one, adds `observer` to its observers, calls
 * `start()`, `reconfigure()` on config reloads and `close()` on shutdown.
 */
export class QuotaService {
  readonly book: QuotaBook;
  readonly scheduler: QuotaScheduler;
  readonly observer: PipelineObserver;
  private config: QuotaConfig;

  constructor(opts: QuotaServiceOptions) {
    const sources = opts.sources ?? quotaSources;
    this.config = opts.config;
    this.book = new QuotaBook({ dbPath: opts.dbPath, store: opts.store, sources, now: opts.now, timers: opts.timers, thresholds: opts.thresholds });
    this.scheduler = new QuotaScheduler({
      book: this.book,
      sources,
      accounts: opts.accounts,
      credential: opts.credential,
      // Read the overrides at call time so a config reload applies to the next poll.
      fetch: (url, init) => createQuotaFetch({ hostOverrides: this.config['host-overrides'] })(url, init),
      fetchFor: (account) => (url, init) =>
        createQuotaFetch({ hostOverrides: this.config['host-overrides'], dispatcher: opts.dispatcherFor?.(account) })(url, init),
      localCounter: opts.localCounter,
      pollMinutes: opts.config.quota['poll-minutes'],
      budgetPerHour: opts.config.quota['poll-budget-per-hour'],
      now: opts.now,
      timers: opts.timers,
      random: opts.random,
      onError: opts.onPollError,
    });
    const book = this.book;
    this.observer = {
      onUpstreamHeaders(account, _status, headers) {
        // API-key accounts have no quota source: keep them out of the book entirely.
        if (sources[account.provider]) book.observeHeaders(account.id, account.provider, headers);
      },
      onUpstreamError(account, failure) {
        if (failure.status === 429 && sources[account.provider]) book.observe429(account.id, account.provider, failure);
      },
    };
  }

  start(): void {
    this.scheduler.start();
  }

  reconfigure(config: QuotaConfig): void {
    this.config = config;
    this.scheduler.reconfigure({ pollMinutes: config.quota['poll-minutes'], budgetPerHour: config.quota['poll-budget-per-hour'] });
  }

  async close(): Promise<void> {
    await this.scheduler.stop();
    this.book.close();
  }
}
