import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../harness';
import { startOpenAIChatUpstream, type FakeUpstream } from '../../fakes/upstreams/openai-chat-upstream';
import type { TestCluster } from '../../fakes/postgres/cluster';
import { clusterWithDatabases, eventually, MASTER_KEY, query } from './support';

/**
 * The shared database stops for 10 s under load: clients keep being served, /readyz says "not
 * ready" meanwhile, and every usage record held during the outage is written once it returns.
 */
describe('team server: the database goes away and comes back', () => {
  let cluster: TestCluster;
  let dbUrl: string;
  let upstream: FakeUpstream;
  let engine: RunningEngine;

  beforeAll(async () => {
    process.env.SWITCHYARD_MASTER_KEY = MASTER_KEY;
    const c = await clusterWithDatabases();
    cluster = c.cluster;
    dbUrl = await c.fresh();
    upstream = await startOpenAIChatUpstream({ script: () => ({ text: ['ok'], usage: { input: 2, output: 1 } }) });
    engine = await startEngine(`
store: { driver: postgres, url: ${dbUrl} }
openai-compatibility:
  - name: pool
    base-url: ${upstream.url}/v1
    api-key-entries: [{ api-key: k1 }, { api-key: k2 }]
    models: [{ name: up-model, alias: m }]
`);
    await engine.engine.team!.ready;
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await upstream?.close();
    cluster?.destroy();
    delete process.env.SWITCHYARD_MASTER_KEY;
  });

  const chat = async () => {
    const r = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await r.arrayBuffer();
    return r.status;
  };

  it('serves through a 10 s outage, reports not ready, and writes every held record afterwards', async () => {
    let sent = 0;
    const statuses: number[] = [];
    const load = async (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const batch = await Promise.all(Array.from({ length: 8 }, chat));
        statuses.push(...batch);
        sent += batch.length;
      }
    };
    await load(500);
    expect((await fetch(`${engine.url}/readyz`)).status).toBe(200);

    cluster.pause();
    const outage = load(10_000);
    expect(await eventually(async () => (await fetch(`${engine.url}/readyz`)).status === 503, 5_000)).toBe(true);
    const during = (await (await fetch(`${engine.url}/readyz`)).json()) as { checks: { store: boolean } };
    expect(during.checks.store).toBe(false);
    await outage;
    expect(engine.engine.team!.usage.pending).toBeGreaterThan(0);

    cluster.start();
    await load(300);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await eventually(async () => (await fetch(`${engine.url}/readyz`)).status === 200, 10_000)).toBe(true);
    expect(await eventually(() => engine.engine.team!.usage.pending === 0, 15_000)).toBe(true);
    const rows = await query<{ n: string }>(dbUrl, 'SELECT count(*) AS n FROM usage_records');
    expect(Number(rows[0].n)).toBe(sent);
    expect(engine.engine.team!.usage.dropped).toBe(0);
  }, 120_000);
});
