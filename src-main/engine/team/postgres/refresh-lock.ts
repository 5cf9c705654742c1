import type pg from 'pg';

/**
 * Exactly one instance refreshes a given account at a time: a session-level advisory lock on a
 * dedicated connection. If the holder dies, its connection drops and the lock goes with it, so
 * the next instance proceeds with whatever token the database holds (the old one, never half a
 * new one: a refreshed token is saved in one statement before it is used).
 */
export async function withAccountLock<T>(pool: pg.Pool, accountId: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let locked = false;
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('switchyard-refresh:' || $1))", [accountId]);
    locked = true;
    return await fn();
  } finally {
    if (locked) await client.query("SELECT pg_advisory_unlock(hashtext('switchyard-refresh:' || $1))", [accountId]).catch(() => undefined);
    client.release();
  }
}
