import type pg from 'pg';
import type { SecretStore } from '../../accounts/secret-store';
import { assertSafeId } from '../../accounts/secret-store';
import { parseAuthFile } from '../../accounts/auth-file';
import type { AuthRecord } from '../../accounts/types';
import { asEnvelope, open, seal } from '../crypto/envelope';
import type { Keyring } from '../crypto/master-key';

export const SECRETS_CHANNEL = 'switchyard_secrets';

/**
 * Account secrets in the shared database, always sealed with the master key (the row holds the
 * key id, IV, tag and ciphertext — never a token). Every write NOTIFYs so other instances reload
 * and pick up a refreshed (possibly rotated) token at once.
 */
export class PgSecretStore implements SecretStore {
  readonly kind = 'file' as const;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ready: Promise<unknown>,
    private readonly keyring: Keyring,
  ) {}

  async get(id: string): Promise<AuthRecord | undefined> {
    assertSafeId(id);
    await this.ready;
    const r = await this.pool.query<{ sealed: string }>('SELECT sealed FROM secrets WHERE id = $1', [id]);
    const row = r.rows[0];
    if (!row) return undefined;
    const env = asEnvelope(JSON.parse(row.sealed));
    if (!env) throw new Error(`secret ${id} in the database is not a sealed record`);
    return parseAuthFile(`postgres:secrets/${id}`, open(env, this.keyring, id));
  }

  async set(id: string, secret: AuthRecord): Promise<void> {
    assertSafeId(id);
    await this.ready;
    const env = seal(JSON.stringify(secret), this.keyring, id);
    await this.pool.query(
      `WITH up AS (
         INSERT INTO secrets (id, key_id, sealed, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET key_id = EXCLUDED.key_id, sealed = EXCLUDED.sealed, updated_at = EXCLUDED.updated_at
         RETURNING id)
       SELECT pg_notify($5, id) FROM up`,
      [id, env.kid, JSON.stringify(env), Date.now(), SECRETS_CHANNEL],
    );
  }

  async delete(id: string): Promise<void> {
    assertSafeId(id);
    await this.ready;
    await this.pool.query('DELETE FROM secrets WHERE id = $1', [id]);
    await this.pool.query('SELECT pg_notify($1, $2)', [SECRETS_CHANNEL, id]);
  }

  async list(): Promise<string[]> {
    await this.ready;
    const r = await this.pool.query<{ id: string }>('SELECT id FROM secrets ORDER BY id');
    return r.rows.map((x) => x.id);
  }

  /** Re-seal every row with the current key (after `SWITCHYARD_MASTER_KEY=new,old`). Returns rows rewritten. */
  async rotate(): Promise<number> {
    await this.ready;
    const r = await this.pool.query<{ id: string; key_id: string }>('SELECT id, key_id FROM secrets');
    let n = 0;
    for (const row of r.rows) {
      if (row.key_id === this.keyring.current.id) continue;
      const rec = await this.get(row.id);
      if (rec) {
        await this.set(row.id, rec);
        n++;
      }
    }
    return n;
  }
}
