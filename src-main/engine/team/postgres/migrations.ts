import type pg from 'pg';

/**
 * Versioned schema. Each step runs once, in order, inside one transaction, under an advisory lock
 * so that instances starting together do not race. Never edit a shipped step: add the next one.
 */
const steps: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE usage_records (
        id TEXT PRIMARY KEY,
        time BIGINT NOT NULL,
        instance TEXT NOT NULL,
        client_key_label TEXT,
        inbound_format TEXT NOT NULL,
        provider TEXT,
        account_id TEXT,
        requested_model TEXT NOT NULL,
        upstream_model TEXT,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cached_tokens INTEGER NOT NULL,
        latency_ms DOUBLE PRECISION NOT NULL,
        ttft_ms DOUBLE PRECISION,
        status INTEGER NOT NULL,
        error_class TEXT,
        stream BOOLEAN NOT NULL
      );
      CREATE INDEX usage_records_time ON usage_records (time);
      CREATE TABLE cooldowns (
        account_id TEXT NOT NULL,
        model TEXT NOT NULL,
        until BIGINT NOT NULL,
        reason TEXT NOT NULL,
        message TEXT,
        hint TEXT,
        level INTEGER NOT NULL,
        set_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, model)
      );
      CREATE TABLE secrets (
        id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        sealed TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE quota_readings (
        account_id TEXT PRIMARY KEY,
        reading JSONB NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE oauth_states (
        state TEXT PRIMARY KEY,
        payload TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );`,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE account_meta (
        id TEXT PRIMARY KEY,
        meta JSONB NOT NULL,
        updated_at BIGINT NOT NULL
      );`,
  },
];

export const LATEST_SCHEMA = steps[steps.length - 1].version;
const MIGRATION_LOCK = 0x5357_4d49; // "SWMI"

export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS switchyard_schema (version INTEGER NOT NULL)');
    const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM switchyard_schema');
    const current = r.rows[0]?.v ?? 0;
    if (current > LATEST_SCHEMA) {
      throw new Error(`the database schema is version ${current}, newer than this build understands (${LATEST_SCHEMA}); upgrade Switchyard`);
    }
    for (const step of steps) {
      if (step.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query('INSERT INTO switchyard_schema (version) VALUES ($1)', [step.version]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`schema migration ${step.version} failed: ${(err as Error).message}`);
      }
    }
    return LATEST_SCHEMA;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
