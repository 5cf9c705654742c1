import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuotaBook } from '../../../src-main/engine/quota/quota-book';
import type { QuotaWindow } from '../../../src-main/engine/quota/window';
import { createPool } from '../../../src-main/engine/team/postgres/pool';
import { migrate } from '../../../src-main/engine/team/postgres/migrations';
import { Listener } from '../../../src-main/engine/team/postgres/listener';
import { QuotaSync } from '../../../src-main/engine/team/postgres/quota-sync';
import type { TestCluster } from '../../fakes/postgres/cluster';
import { clusterWithDatabases, eventually } from './support';

describe('team server: quota readings shared between instances', () => {
  let cluster: TestCluster;
  let url: string;
  beforeAll(async () => {
    const c = await clusterWithDatabases();
    cluster = c.cluster;
    url = await c.fresh();
  }, 120_000);
  afterAll(() => cluster?.destroy());

  async function instance() {
    const pool = createPool(url, () => undefined);
    const ready = migrate(pool);
    const listener = new Listener(url, () => undefined);
    await ready;
    const sync = new QuotaSync(pool, ready, listener, (err) => {
      throw err;
    });
    await listener.start();
    const book = new QuotaBook({});
    return { pool, listener, sync, book, close: async () => (sync.stop(), await listener.close(), await pool.end()) };
  }

  const window = (usedPercent: number, observedAt: number): QuotaWindow => ({
    id: 'five-hour',
    label: '5-hour',
    kind: '5h',
    usedPercent,
    resetAt: observedAt + 3_600_000,
    windowSeconds: 18_000,
    source: 'traffic',
    observedAt,
  });

  it('a reading observed by A shows on B, and the newest observation wins on both', async () => {
    const a = await instance();
    const b = await instance();
    const accounts = () => [{ id: 'codex-1', provider: 'codex' }];
    a.sync.start(a.book, accounts, 50);
    b.sync.start(b.book, accounts, 50);

    const t = Date.now();
    a.book.update('codex-1', 'codex', [window(40, t)]);
    expect(await eventually(() => b.book.peek('codex-1')?.windows[0]?.usedPercent === 40, 3_000)).toBe(true);

    b.book.update('codex-1', 'codex', [window(55, t + 1_000)]);
    expect(await eventually(() => a.book.peek('codex-1')?.windows[0]?.usedPercent === 55, 3_000)).toBe(true);
    // An older reading arriving late does not overwrite the newer one anywhere.
    expect(b.book.peek('codex-1')?.windows[0]?.usedPercent).toBe(55);
    await a.close();
    await b.close();
  });
});
