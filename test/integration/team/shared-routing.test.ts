import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../harness';
import { startOpenAIChatUpstream, type FakeUpstream } from '../../fakes/upstreams/openai-chat-upstream';
import type { TestCluster } from '../../fakes/postgres/cluster';
import { clusterWithDatabases, MASTER_KEY, query } from './support';

/**
 * Two instances over one PostgreSQL share cooldowns and usage: a 429 seen by one benches the
 * account for the other within a second, and every request lands in the shared usage table.
 */
describe('team server: two instances, one database', () => {
  let cluster: TestCluster;
  let dbUrl: string;
  let upstream: FakeUpstream;
  let a: RunningEngine;
  let b: RunningEngine;
  let limited = false;

  const config = (instance: string) => `
store:
  driver: postgres
  url: ${dbUrl}
openai-compatibility:
  - name: pool
    base-url: ${upstream.url}/v1
    headers: { x-instance: ${instance} }
    api-key-entries:
      - api-key: k1
      - api-key: k2
      - api-key: k3
      - api-key: k4
    models: [{ name: up-model, alias: team-model }]
`;

  beforeAll(async () => {
    process.env.SWITCHYARD_MASTER_KEY = MASTER_KEY;
    const c = await clusterWithDatabases();
    cluster = c.cluster;
    dbUrl = await c.fresh();
    upstream = await startOpenAIChatUpstream({
      script: (req) => {
        const key = String(req.headers.authorization ?? '');
        if (limited && key === 'Bearer k3') return { status: 429, headers: { 'retry-after': '120' } };
        return { text: ['ok'], usage: { input: 3, output: 1 } };
      },
    });
    a = await startEngine(config('A'));
    b = await startEngine(config('B'));
    await Promise.all([a.engine.team!.ready, b.engine.team!.ready]);
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await upstream?.close();
    cluster?.destroy();
    delete process.env.SWITCHYARD_MASTER_KEY;
  });

  async function send(target: RunningEngine): Promise<number> {
    const res = await fetch(`${target.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'team-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  async function burst(n: number, targets: RunningEngine[]): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < n; i += 20) {
      statuses.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, (_, j) => send(targets[(i + j) % targets.length])))));
    }
    return statuses;
  }

  it('serves 2,000 requests across both with one account answering 429 halfway, and the other instance stops using it within 1 s', async () => {
    const first = await burst(1000, [a, b]);
    expect(first.every((s) => s === 200)).toBe(true);

    limited = true;
    // Only instance A meets the 429 (it fails over, so its client still gets 200).
    let probes = 0;
    while (!a.engine.routing.cooldowns().some((e) => e.accountId.length > 0) && probes < 50) {
      expect(await send(a)).toBe(200);
      probes++;
    }
    const benchedAt = Date.now();
    const benched = a.engine.routing.cooldowns()[0].accountId;
    // Within one second instance B knows, without having been told by a 429 of its own.
    while (!b.engine.routing.cooldowns().some((e) => e.accountId === benched)) {
      expect(Date.now() - benchedAt).toBeLessThan(1_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const bHitsBefore = upstream.requests.filter((r) => r.headers['x-instance'] === 'B' && r.headers.authorization === 'Bearer k3').length;

    const second = await burst(1000, [a, b]);
    expect(second.every((s) => s === 200)).toBe(true);
    const bHitsAfter = upstream.requests.filter((r) => r.headers['x-instance'] === 'B' && r.headers.authorization === 'Bearer k3').length;
    expect(bHitsAfter).toBe(bHitsBefore);

    await Promise.all([a.engine.team!.usage.flush(), b.engine.team!.usage.flush()]);
    const rows = await query<{ n: string; instances: string }>(dbUrl, 'SELECT count(*) AS n, count(DISTINCT instance) AS instances FROM usage_records');
    expect(Number(rows[0].n)).toBe(2000 + probes);
  }, 180_000);
});
