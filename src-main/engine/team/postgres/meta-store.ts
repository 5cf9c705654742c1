import type pg from 'pg';
import { accountMetaSchema, type AccountMeta, type MetaStoreLike } from '../../accounts/account-meta';
import { SECRETS_CHANNEL } from './secret-store';

/**
 * Account metadata (label, prefix, priority, disabled, project, needs-sign-in …) in the shared
 * database, so an edit or a "needs sign-in" mark made on one instance holds on all of them. Same
 * surface as the `accounts.json` store; writes NOTIFY the secrets channel, which makes every
 * instance reload its registry.
 */
export class PgMetaStore implements MetaStoreLike {
  readonly file = 'postgres:account_meta';
  error?: string;
  private entries = new Map<string, AccountMeta>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly ready: Promise<unknown>,
  ) {}

  async load(): Promise<void> {
    await this.ready;
    const r = await this.pool.query<{ id: string; meta: unknown }>('SELECT id, meta FROM account_meta');
    const next = new Map<string, AccountMeta>();
    const bad: string[] = [];
    for (const row of r.rows) {
      const p = accountMetaSchema.safeParse(row.meta);
      if (p.success) next.set(row.id, p.data);
      else bad.push(row.id);
    }
    this.entries = next;
    this.error = bad.length ? `account metadata for ${bad.join(', ')} in the database is invalid and was ignored` : undefined;
  }

  all(): ReadonlyMap<string, AccountMeta> {
    return this.entries;
  }

  get(id: string): AccountMeta | undefined {
    return this.entries.get(id);
  }

  async put(id: string, meta: AccountMeta): Promise<void> {
    await this.ready;
    await this.pool.query(
      `INSERT INTO account_meta (id, meta, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET meta = EXCLUDED.meta, updated_at = EXCLUDED.updated_at`,
      [id, JSON.stringify(meta), Date.now()],
    );
    this.entries = new Map(this.entries).set(id, meta);
    await this.pool.query('SELECT pg_notify($1, $2)', [SECRETS_CHANNEL, id]);
  }

  async remove(id: string): Promise<void> {
    await this.ready;
    await this.pool.query('DELETE FROM account_meta WHERE id = $1', [id]);
    const next = new Map(this.entries);
    next.delete(id);
    this.entries = next;
    await this.pool.query('SELECT pg_notify($1, $2)', [SECRETS_CHANNEL, id]);
  }
}
