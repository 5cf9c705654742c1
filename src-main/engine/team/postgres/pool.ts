import { createRequire } from 'node:module';
import type pg from 'pg';

/**
 * pg (with its protocol, types and pool modules) is loaded when a team store is opened, not at
 * start: `serve` on the embedded SQLite store never pays its start-up time and memory.
 */
export function loadPg(): typeof pg {
  return createRequire(import.meta.url)('pg') as typeof pg;
}

/**
 * One pool per engine. Errors on idle clients (the database restarting) are reported, never
 * thrown: pg emits them on the pool, and an unhandled 'error' event would end the process.
 */
export function createPool(url: string, onError: (err: Error) => void, extra: pg.PoolConfig = {}): pg.Pool {
  const pool = new (loadPg().Pool)({
    ...extra,
    connectionString: url,
    max: 8,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    // A query never holds a request: the store is written off the request path, but a hung
    // database must still release its callers.
    query_timeout: 10_000,
  });
  pool.on('error', onError);
  return pool;
}

/** The URL from SWITCHYARD_STORE_URL or the config, with a clear error when neither is set. */
export function storeUrl(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const url = env.SWITCHYARD_STORE_URL || configured;
  if (!url) throw new Error('store.driver is postgres but no URL is set: add store.url to config.yaml or set SWITCHYARD_STORE_URL');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('store.url must start with postgres:// (or postgresql://)');
  return url;
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
