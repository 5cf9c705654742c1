import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIChatUpstream, type FakeUpstream } from '../../fakes/upstreams/openai-chat-upstream';
import type { TestCluster } from '../../fakes/postgres/cluster';
import { clusterWithDatabases, MASTER_KEY, query } from './support';
import { serveProcess, type ServerProcess } from './support-process';

const MGMT = { authorization: 'Bearer mgmt' };

/**
 * Two `switchyard serve` processes (the built bundle) over one PostgreSQL: 2,000 requests across
 * both over 4 keys, one key answering 429 halfway. The other instance stops using it within 1 s,
 * clients see no error, and the shared usage table counts every request.
 */
describe('team server: two serve processes, one database', () => {
  let cluster: TestCluster;
  let dbUrl: string;
  let upstream: FakeUpstream;
  let a: ServerProcess;
  let b: ServerProcess;
  let limited = false;

  const config = (instance: string) => `
store: { driver: postgres, url: "${dbUrl}" }
remote-management: { secret-key: mgmt }
usage-sqlite: { enable: false }
openai-compatibility:
  - name: pool
    base-url: ${upstream.url}/v1
    headers: { x-instance: ${instance} }
    api-key-entries: [{ api-key: k1 }, { api-key: k2 }, { api-key: k3 }, { api-key: k4 }]
    models: [{ name: up-model, alias: team-model }]
`;

  beforeAll(async () => {
    const c = await clusterWithDatabases();
    cluster = c.cluster;
    dbUrl = await c.fresh();
    upstream = await startOpenAIChatUpstream({
      script: (req) =>
        limited && req.headers.authorization === 'Bearer k3' ? { status: 429, headers: { 'retry-after': '120' } } : { text: ['ok'], usage: { input: 3, output: 1 } },
    });
    [a, b] = await Promise.all([serveProcess(config('A'), { SWITCHYARD_MASTER_KEY: MASTER_KEY }), serveProcess(config('B'), { SWITCHYARD_MASTER_KEY: MASTER_KEY })]);
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await upstream?.close();
    cluster?.destroy();
  });

  const send = async (url: string) => {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'team-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const burst = async (n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i += 32) statuses.push(...(await Promise.all(Array.from({ length: Math.min(32, n - i) }, (_, j) => send((i + j) % 2 ? b.url : a.url)))));
    return statuses;
  };
  const coolingOn = async (p: ServerProcess) => {
    const body = (await (await fetch(`${p.url}/v0/management/accounts`, { headers: MGMT })).json()) as { accounts: Array<{ id: string; cooldown_until: string | null }> };
    return body.accounts.filter((x) => x.cooldown_until !== null).map((x) => x.id);
  };
  const k3Hits = (instance: string) => upstream.requests.filter((r) => r.headers['x-instance'] === instance && r.headers.authorization === 'Bearer k3').length;

  it('shares the bench within 1 s, loses no request, and counts every one', async () => {
    const first = await burst(1000);
    expect(first.filter((s) => s !== 200)).toEqual([]);

    limited = true;
    let probes = 0;
    while ((await coolingOn(a)).length === 0 && probes < 50) {
      expect(await send(a.url)).toBe(200); // A fails over to another key: the client never sees the 429
      probes++;
    }
    const benchedAt = Date.now();
    const [benched] = await coolingOn(a);
    expect(benched).toBeDefined();
    const bBefore = k3Hits('B');
    while (!(await coolingOn(b)).includes(benched)) {
      expect(Date.now() - benchedAt).toBeLessThan(1_000);
      await new Promise((r) => setTimeout(r, 20));
    }

    const second = await burst(1000);
    expect(second.filter((s) => s !== 200)).toEqual([]);
    expect(k3Hits('B')).toBe(bBefore); // B never sent to the benched key

    // Both processes flush their usage on SIGTERM; the shared table then holds every request.
    await a.stop();
    await b.stop();
    const rows = await query<{ n: string; instances: string }>(dbUrl, 'SELECT count(*) AS n, count(DISTINCT instance) AS instances FROM usage_records');
    expect(Number(rows[0].n)).toBe(2000 + probes);
    expect(Number(rows[0].instances)).toBe(2);
  }, 240_000);
});
