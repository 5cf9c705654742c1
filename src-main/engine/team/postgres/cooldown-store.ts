import type pg from 'pg';
import type { CooldownEntry, CooldownStore } from '../../routing/cooldown-book';
import { cooldownFromRow } from '../../routing/cooldown-store-sqlite';

export const COOLDOWN_CHANNEL = 'switchyard_cooldowns';

const keyOf = (e: Pick<CooldownEntry, 'accountId' | 'model'>) => `${e.accountId}\u0000${e.model}`;

/**
 * Cooldowns shared by every instance. `save` receives this instance's whole book; it upserts each
 * entry (the longer rest wins, so two instances never shorten each other's), deletes only the rows
 * this instance itself lifted since its last save (and only if nobody rewrote them meanwhile), then
 * NOTIFYs so the other instances reload within a moment instead of hammering a benched account.
 */
export class PgCooldownStore implements CooldownStore {
  private lastSaved = new Map<string, CooldownEntry>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly ready: Promise<unknown>,
    private readonly now: () => number = Date.now,
  ) {}

  async load(): Promise<CooldownEntry[]> {
    await this.ready;
    const r = await this.pool.query('SELECT * FROM cooldowns WHERE until > $1', [this.now()]);
    const out: CooldownEntry[] = [];
    for (const raw of r.rows) {
      const e = cooldownFromRow(raw);
      if (!e) continue;
      out.push(e);
      this.lastSaved.set(keyOf(e), e);
    }
    return out;
  }

  async save(entries: CooldownEntry[]): Promise<void> {
    await this.ready;
    const current = new Map(entries.map((e) => [keyOf(e), e]));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const e of entries) {
        const prev = this.lastSaved.get(keyOf(e));
        if (prev && prev.until === e.until && prev.reason === e.reason) continue; // unchanged
        await client.query(
          `INSERT INTO cooldowns (account_id, model, until, reason, message, hint, level, set_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (account_id, model) DO UPDATE SET
             until = GREATEST(cooldowns.until, EXCLUDED.until), reason = EXCLUDED.reason, message = EXCLUDED.message,
             hint = EXCLUDED.hint, level = EXCLUDED.level, set_at = EXCLUDED.set_at`,
          [e.accountId, e.model, e.until, e.reason, e.message ?? null, e.hint ?? null, e.level, e.setAt],
        );
      }
      for (const [k, prev] of this.lastSaved) {
        if (current.has(k) || prev.until <= this.now()) continue;
        await client.query('DELETE FROM cooldowns WHERE account_id = $1 AND model = $2 AND until = $3', [prev.accountId, prev.model, prev.until]);
      }
      await client.query('DELETE FROM cooldowns WHERE until <= $1', [this.now()]);
      await client.query(`SELECT pg_notify($1, '')`, [COOLDOWN_CHANNEL]);
      await client.query('COMMIT');
      this.lastSaved = current;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
