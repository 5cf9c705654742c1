import { EventEmitter } from 'node:events';
import type { Account } from '../providers/provider';
import { accountIdFor, tokensOf } from './auth-file';
import { factsFromRecord, readEntries } from './registry-load';
import { MetaStore, type AccountMeta, type MetaStoreLike } from './account-meta';
import type { SecretStore } from './secret-store';
import { SerialQueue } from '../util/serial-queue';
import { systemClock, type AccountStatus, type AccountView, type AuthRecord, type Clock, type OAuthProviderId, type TokenSet } from './types';

export interface RegistryEntry {
  id: string;
  meta: AccountMeta;
  /** undefined when the secret is missing or malformed (see `problem`). */
  record?: AuthRecord;
  problem?: string;
}

export interface NewAccount {
  provider: OAuthProviderId;
  record: AuthRecord;
  label: string;
  projectId?: string;
  extra?: Record<string, unknown>;
  /** Defaults to the CLIProxyAPI file name for the provider and label. */
  id?: string;
  /** Routing facts an imported CLIProxyAPI file carries. */
  prefix?: string;
  priority?: number;
  disabled?: boolean;
}

/**
 * Signed-in accounts: metadata from accounts.json joined with secrets from the SecretStore.
 * Emits `change` after every add/remove/update/status change so routing can rebuild.
 */
export class AccountRegistry extends EventEmitter {
  private entries = new Map<string, RegistryEntry>();
  readonly meta: MetaStoreLike;
  private readonly clock: Clock;
  /** Loads and changes one at a time: each read-modify-write starts from the one before. */
  private readonly queue = new SerialQueue();
  /** Refreshed records the secret store refused (keychain locked, disk full): live in memory, saved again later. */
  private readonly unsaved = new Map<string, { record: AuthRecord; error: string }>();
  private saveRetry: NodeJS.Timeout | undefined;

  constructor(
    readonly store: SecretStore,
    dataDir: string,
    opts: { clock?: Clock; meta?: MetaStoreLike } = {},
  ) {
    super();
    this.meta = opts.meta ?? new MetaStore(dataDir);
    this.clock = opts.clock ?? systemClock;
  }

  /** Problems found while loading (malformed files, invalid accounts.json), for logs and the UI. */
  problems(): string[] {
    const out: string[] = [];
    if (this.meta.error) out.push(this.meta.error);
    for (const e of this.entries.values()) if (e.problem) out.push(e.problem);
    for (const [id, u] of this.unsaved) out.push(unsavedProblem(id, u.error));
    return out;
  }

  load(): Promise<void> {
    return this.queue.run(async () => {
      await this.meta.load();
      const metas = this.meta.all();
      const ids = await this.store.list();
      const next = await readEntries(this.store, metas, ids);
      this.entries = next;
      this.emit('change');
    });
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  entry(id: string): RegistryEntry | undefined {
    return this.entries.get(id);
  }

  tokens(id: string): TokenSet | undefined {
    const rec = this.entries.get(id)?.record;
    return rec ? tokensOf(rec) : undefined;
  }

  status(id: string): AccountStatus {
    const e = this.entries.get(id);
    if (!e) return 'needs-login';
    if (e.meta.disabled) return 'disabled';
    if (!e.record || e.meta.needsLogin) return 'needs-login';
    const t = tokensOf(e.record);
    if (!t) return 'needs-login';
    if (!t.refreshToken && t.expiresAt !== undefined && t.expiresAt <= this.clock()) return 'needs-login';
    return 'active';
  }

  /** Accounts for the UI and `accounts --json`: never secrets. */
  list(): AccountView[] {
    return this.sorted().map((e) => {
      const t = e.record ? tokensOf(e.record) : undefined;
      const status = this.status(e.id);
      return {
        id: e.id,
        provider: e.meta.provider,
        label: e.meta.label,
        status,
        expiresAt: t?.expiresAt !== undefined ? new Date(t.expiresAt).toISOString() : null,
        ...(status === 'needs-login' ? { reason: e.problem ?? e.meta.needsLogin ?? 'signed out' } : {}),
      };
    });
  }

  /** Accounts as routing sees them; only active ones (disabled and signed-out accounts are skipped). */
  accounts(): Account[] {
    return this.sorted()
      .filter((e) => this.status(e.id) === 'active')
      .map((e) => this.toAccount(e));
  }

  account(id: string): Account | undefined {
    const e = this.entries.get(id);
    return e ? this.toAccount(e) : undefined;
  }

  private sorted(): RegistryEntry[] {
    return [...this.entries.values()].sort((a, b) => a.meta.order - b.meta.order);
  }

  private toAccount(e: RegistryEntry): Account {
    const m = e.meta;
    return {
      id: e.id,
      provider: m.provider,
      kind: 'oauth',
      label: m.label,
      order: m.order,
      prefix: m.prefix || undefined,
      priority: m.priority ?? 0,
      weight: m.weight ?? 1,
      disabled: this.status(e.id) === 'disabled',
      baseUrl: m.baseUrl,
      proxyUrl: m.proxyUrl,
      meta: { ...(m.extra ?? {}), ...(m.projectId ? { projectId: m.projectId } : {}) },
    };
  }

  /** Store a new sign-in (or a fresh sign-in of an existing account, which clears needs-login). */
  add(a: NewAccount): Promise<Account> {
    return this.queue.run(async () => {
      const now = this.clock();
      const id = a.id ?? accountIdFor(a.provider, a.label, { projectId: a.projectId, now });
      const old = this.entries.get(id)?.meta;
      const order = old?.order ?? Math.max(-1, ...[...this.entries.values()].map((e) => e.meta.order)) + 1;
      const meta: AccountMeta = {
        ...(old ?? {}),
        provider: a.provider,
        label: a.label,
        order,
        projectId: a.projectId ?? old?.projectId,
        ...(a.prefix !== undefined ? { prefix: a.prefix } : {}),
        ...(a.priority !== undefined ? { priority: a.priority } : {}),
        ...(a.disabled !== undefined ? { disabled: a.disabled } : {}),
        extra: { ...(old?.extra ?? {}), ...(a.extra ?? {}) },
        addedAt: old?.addedAt ?? new Date(now).toISOString(),
      };
      delete meta.needsLogin;
      // Secret first: metadata without a secret would list an account that cannot work.
      await this.store.set(id, a.record);
      await this.meta.put(id, meta);
      const facts = factsFromRecord(a.record);
      meta.baseUrl ??= facts.baseUrl;
      meta.proxyUrl ??= facts.proxyUrl;
      meta.extra = { ...facts.extra, ...meta.extra };
      this.entries.set(id, { id, meta, record: a.record });
      this.emit('change');
      return this.toAccount(this.entries.get(id)!);
    });
  }

  remove(id: string): Promise<boolean> {
    return this.queue.run(async () => {
      if (!this.entries.has(id)) return false;
      await this.store.delete(id);
      await this.meta.remove(id);
      this.entries.delete(id);
      this.emit('change');
      return true;
    });
  }

  update(id: string, patch: Partial<Pick<AccountMeta, 'label' | 'prefix' | 'priority' | 'weight' | 'disabled' | 'projectId' | 'proxyUrl' | 'baseUrl'>>): Promise<void> {
    return this.queue.run(async () => {
      const e = this.entries.get(id);
      if (!e) throw new Error(`no account "${id}"`);
      // Only the fields given: an `undefined` in the patch means "not this one", not "erase".
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const meta = { ...e.meta, ...given };
      await this.meta.put(id, meta);
      e.meta = meta;
      this.emit('change');
    });
  }

  /** Persist a refreshed record (atomic in both backends) and only then make it current. */
  saveRecord(id: string, record: AuthRecord): Promise<void> {
    return this.queue.run(async () => {
      const e = this.entries.get(id);
      if (!e) throw new Error(`no account "${id}"`);
      try {
        await this.store.set(id, record);
        this.unsaved.delete(id);
      } catch (err) {
        // The refresh already spent the old refresh token (providers rotate them): dropping the new
        // record would lose the account. It stays current in memory and is saved again later.
        const error = (err as Error).message ?? String(err);
        this.unsaved.set(id, { record, error });
        this.scheduleSaveRetry();
        this.emit('store-error', unsavedProblem(id, error));
      }
      e.record = record;
      if (e.meta.needsLogin) {
        delete e.meta.needsLogin;
        await this.meta.put(id, e.meta).catch(() => undefined);
      }
      this.emit('change');
    });
  }

  /** Save the records the store refused, until it takes them (e.g. the keychain is unlocked). */
  retryUnsaved(): Promise<number> {
    return this.queue.run(async () => {
      let saved = 0;
      for (const [id, u] of [...this.unsaved]) {
        try {
          await this.store.set(id, u.record);
          this.unsaved.delete(id);
          saved++;
        } catch (err) {
          u.error = (err as Error).message ?? String(err);
        }
      }
      if (this.unsaved.size) this.scheduleSaveRetry();
      return saved;
    });
  }

  private scheduleSaveRetry(): void {
    if (this.saveRetry) return;
    this.saveRetry = setTimeout(() => {
      this.saveRetry = undefined;
      void this.retryUnsaved().catch(() => undefined);
    }, 30_000);
    this.saveRetry.unref?.();
  }

  /** A refresh was refused: keep the account, show it as needing a new sign-in. */
  markNeedsLogin(id: string, reason: string): Promise<void> {
    return this.queue.run(async () => {
      const e = this.entries.get(id);
      if (!e) return;
      e.meta = { ...e.meta, needsLogin: reason };
      // Best effort: an unwritable accounts.json must not hide the status change in memory.
      await this.meta.put(id, e.meta).catch(() => undefined);
      this.emit('change');
    });
  }
}

function unsavedProblem(id: string, error: string): string {
  return `account "${id}": the secret store refused to save its refreshed token (${error}); it is kept in memory and saved when the store accepts it`;
}
