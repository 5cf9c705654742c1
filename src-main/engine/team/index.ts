import os from 'node:os';
import type pg from 'pg';
import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import type { CooldownStore } from '../routing/cooldown-book';
import { keyringFromEnv } from './crypto/master-key';
import { PgCooldownStore, COOLDOWN_CHANNEL } from './postgres/cooldown-store';
import { Listener } from './postgres/listener';
import { migrate } from './postgres/migrations';
import { createPool, redactUrl, storeUrl } from './postgres/pool';
import { withAccountLock } from './postgres/refresh-lock';
import { PgSecretStore, SECRETS_CHANNEL } from './postgres/secret-store';
import { PgUsageSink } from './postgres/usage-sink';
import { PgSignInRelay } from './postgres/sign-in-relay';
import { QuotaSync } from './postgres/quota-sync';
import { PgMetaStore } from './postgres/meta-store';

export interface TeamLog {
  info(msg: string, detail?: Record<string, unknown>): void;
  warn(msg: string, detail?: Record<string, unknown>): void;
  error(msg: string, detail?: Record<string, unknown>): void;
}

/** The shared store of a team server: what every instance over one PostgreSQL sees alike. */
export interface TeamStore {
  readonly url: string;
  /** Resolves once the schema is migrated; rejects with the reason the database cannot be used. */
  readonly ready: Promise<void>;
  readonly cooldowns: CooldownStore;
  readonly secrets: PgSecretStore;
  /** Account labels, prefixes, priorities, disabled and needs-sign-in marks, shared. */
  readonly accountMeta: PgMetaStore;
  readonly usage: PgUsageSink;
  readonly coordinator: { exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> };
  /** Pasted sign-in redirects reach the instance that runs the flow. */
  readonly signIns: PgSignInRelay;
  /** Quota readings published to, and adopted from, the other instances. */
  readonly quota: QuotaSync;
  onCooldownsChanged(cb: () => void): void;
  onSecretsChanged(cb: () => void): void;
  /** True when a trivial query answers within a second (readiness probe). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The team store when `store.driver` is postgres, else undefined (embedded SQLite). */
export function openTeamStore(cfg: SwitchyardConfig, log: TeamLog): TeamStore | undefined {
  if (cfg.store.driver !== 'postgres') return undefined;
  const url = storeUrl(cfg.store.url);
  const keyring = keyringFromEnv();
  if (!keyring) throw new Error('store.driver is postgres: set SWITCHYARD_MASTER_KEY so tokens are encrypted in the shared database');
  const pool: pg.Pool = createPool(url, (err) => log.warn('database connection error', { error: err.message }));
  const listener = new Listener(url, (err) => log.warn('database listener error', { error: err.message }));
  const ready = migrate(pool).then(
    async (version) => {
      log.info('shared store ready', { url: redactUrl(url), schema: version });
      await listener.start();
    },
    (err: Error) => {
      log.error('shared store unavailable', { url: redactUrl(url), error: err.message });
      throw err;
    },
  );
  ready.catch(() => undefined); // reported above; readiness and the stores' own calls see it too
  const usage = new PgUsageSink({
    pool,
    ready,
    instance: `${os.hostname()}:${process.pid}`,
    maxPending: cfg.store['max-pending-usage'],
    onError: (message, detail) => log.warn(message, detail),
  });
  const quota = new QuotaSync(pool, ready, listener, (err) => log.warn('quota sync', { error: err.message }));
  return {
    url,
    ready,
    cooldowns: new PgCooldownStore(pool, ready),
    secrets: new PgSecretStore(pool, ready, keyring),
    accountMeta: new PgMetaStore(pool, ready),
    usage,
    coordinator: { exclusive: (id, fn) => withAccountLock(pool, id, fn) },
    signIns: new PgSignInRelay(pool, ready, listener),
    quota,
    onCooldownsChanged: (cb) => {
      listener.on(COOLDOWN_CHANNEL, cb);
      listener.onReconnect(cb);
    },
    onSecretsChanged: (cb) => {
      listener.on(SECRETS_CHANNEL, cb);
      listener.onReconnect(cb);
    },
    ping: async () => {
      try {
        await Promise.race([pool.query('SELECT 1'), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 1_000).unref())]);
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      quota.stop();
      await usage.close().catch(() => undefined);
      await listener.close();
      await pool.end().catch(() => undefined);
    },
  };
}
