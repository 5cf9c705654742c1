import { openStore, statePath, type CompositionBase } from './engine-composition';
import type { QuotaService } from './quota';
import { QuotaStore } from './quota/store';
import { CooldownStoreOnFirstUse, SqliteCooldownStore } from './routing/cooldown-store-sqlite';
import type { TeamStore } from './team';

/**
 * state.db (cooldowns, quota windows), opened after the port is bound instead of before: the
 * cooldowns by their restore, which requests wait for (the listener's gate), the quota book's side
 * in the same step, before any request or poll reaches the book. Reading the persistence flags
 * opens both at once. A store that cannot open degrades as before (logged, persistence off).
 */
export class StateStores {
  /** The cooldowns' SQLite store; undefined on a team server (PostgreSQL keeps them). */
  readonly cooldowns?: CooldownStoreOnFirstUse;
  private quotaOpened = false;

  constructor(
    private readonly b: CompositionBase,
    team: TeamStore | undefined,
  ) {
    const file = statePath(b.dataDir);
    if (!team) this.cooldowns = new CooldownStoreOnFirstUse(() => openStore(b, 'cooldowns', file, () => new SqliteCooldownStore(file)));
  }

  /** Open both now (once); the quota book takes in what its store kept. */
  open(quota: QuotaService): void {
    this.cooldowns?.get();
    if (this.quotaOpened) return;
    this.quotaOpened = true;
    const file = statePath(this.b.dataDir);
    openStore(this.b, 'quota', file, () => {
      const store = new QuotaStore(file);
      try {
        quota.book.attachStore(store);
      } catch (err) {
        store.close(); // opened, but what it kept cannot be read: off, like a store that cannot open
        throw err;
      }
      return store;
    });
  }
}
