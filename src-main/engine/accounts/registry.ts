import { SealedRecordError } from '../team/crypto/envelope';
import { EventEmitter } from 'node:events';
import type { Account } from '../providers/provider';
import { accountIdFor, MalformedAuthFileError, providerOfRecord, tokensOf } from './auth-file';
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

/** Non-secret provider facts that also live in the auth file (CLIProxyAPI keeps them there). */
function factsFromRecord(rec: AuthRecord): { projectId?: string; baseUrl?: string; proxyUrl?: string; extra: Record<string, unknown> } {
  const s = (k: string) => (typeof rec[k] === 'string' && rec[k] ? (rec[k] as string) : undefined);
  const extra: Record<string, unknown> = {};
  for (const k of ['account_id', 'resource_url', 'organization_uuid', 'account_uuid', 'device_id', 'plan_type']) {
    if (s(k)) extra[k] = s(k);
  }
  return { projectId: s('project_id'), baseUrl: s('base_url'), proxyUrl: s('proxy_url'), extra };
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
    return out;
  }

  load(): Promise<void> {
    return this.queue.run(async () => {
      await this.meta.load();
      const metas = this.meta.all();
      const ids = await this.store.list();
      const next = new Map<string, RegistryEntry>();
      let order = Math.max(-1, ...[...metas.values()].map((m) => m.order));
      for (const id of ids) {
        let record: AuthRecord | undefined;
        let problem: string | undefined;
        try {
          record = await this.store.get(id);
        } catch (err) {
          // One unreadable account (bad JSON, sealed with another key, EACCES, a keychain hiccup)
          // is that account's problem: the others still load, and the process never goes down for it.
          problem =
            err instanceof MalformedAuthFileError || err instanceof SealedRecordError
              ? err.message
              : `${id}: cannot read its secret (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
        }
        const provider = record ? providerOfRecord(record) : metas.get(id)?.provider;
        if (!provider) {
          // A malformed file with no metadata: nothing to route to, but the problem is still reported.
          next.set(id, { id, meta: { provider: 'claude', label: id, order: ++order }, problem: problem ?? `${id}: unknown provider` });
          continue;
        }
        const facts = record ? factsFromRecord(record) : { extra: {} };
        const known = metas.get(id);
        const meta: AccountMeta = known ?? {
          provider,
          label: (record && typeof record.email === 'string' && record.email) || id,
          order: ++order,
          prefix: typeof record?.prefix === 'string' ? record.prefix : undefined,
          priority: typeof record?.priority === 'number' ? record.priority : undefined,
          disabled: record?.disabled === true ? true : undefined,
        };
        next.set(id, {
          id,
          meta: {
            ...meta,
            projectId: meta.projectId ?? facts.projectId,
            baseUrl: meta.baseUrl ?? facts.baseUrl,
            proxyUrl: meta.proxyUrl ?? facts.proxyUrl,
            extra: { ...facts.extra, ...meta.extra },
          },
          record,
          problem,
        });
      }
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
      await this.store.set(id, record);
      e.record = record;
      if (e.meta.needsLogin) {
        delete e.meta.needsLogin;
        await this.meta.put(id, e.meta).catch(() => undefined);
      }
      this.emit('change');
    });
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
