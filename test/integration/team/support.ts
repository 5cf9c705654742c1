import pg from 'pg';
import { startCluster, type TestCluster } from '../../fakes/postgres/cluster';

export const MASTER_KEY = 'a'.repeat(64);

/** One throwaway cluster per test file; each test gets its own empty database. */
export async function clusterWithDatabases(): Promise<{ cluster: TestCluster; fresh(): Promise<string> }> {
  const cluster = await startCluster();
  let n = 0;
  return {
    cluster,
    fresh: async () => {
      const name = `t${process.pid}_${n++}`;
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return cluster.url.replace(/\/[^/]+$/, `/${name}`);
    },
  };
}

export async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Poll until `check` holds or `ms` pass (bounded; for cross-instance propagation). */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}
