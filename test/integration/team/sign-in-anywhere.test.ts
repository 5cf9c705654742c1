import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../harness';
import { TestBrowser } from '../../fakes/oauth/browser';
import { startClaudeFake, type ProviderFake } from '../../fakes/oauth/providers';
import type { TestCluster } from '../../fakes/postgres/cluster';
import { clusterWithDatabases, eventually, MASTER_KEY } from './support';

const LOOPBACK = 'http://localhost:54545';
const KEY = { authorization: 'Bearer mgmt' };

/**
 * Behind a load balancer the sign-in start and the pasted redirect land on different instances:
 * the redirect is relayed to the instance that runs the flow, and every instance sees the result.
 */
describe('team server: sign-in on any instance', () => {
  let cluster: TestCluster;
  let pf: ProviderFake;
  let a: RunningEngine;
  let b: RunningEngine;

  beforeAll(async () => {
    process.env.SWITCHYARD_MASTER_KEY = MASTER_KEY;
    const c = await clusterWithDatabases();
    cluster = c.cluster;
    const dbUrl = await c.fresh();
    pf = await startClaudeFake();
    const overrides = Object.entries(pf.overrides).map(([k, v]) => `  "${k}": "${v}"`).join('\n');
    const config = `store: { driver: postgres, url: ${dbUrl} }\nremote-management: { secret-key: mgmt }\nhost-overrides:\n${overrides}\n`;
    a = await startEngine(config);
    b = await startEngine(config);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pf?.fake.close();
    cluster?.destroy();
    delete process.env.SWITCHYARD_MASTER_KEY;
  });

  it('starts on A, completes with the redirect pasted to B, and both list the account', async () => {
    const start = (await (await fetch(`${a.url}/v0/management/anthropic-auth-url`, { headers: KEY })).json()) as { url: string; state: string };
    expect(start.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const redirect = await new TestBrowser().until(start.url, LOOPBACK);

    const pasted = await fetch(`${b.url}/v0/management/oauth-callback`, {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ state: start.state, redirect_url: redirect }),
    });
    expect(pasted.status).toBe(200);

    const statusOnB = async () => ((await (await fetch(`${b.url}/v0/management/get-auth-status?state=${start.state}`, { headers: KEY })).json()) as { status: string }).status;
    expect(await eventually(async () => (await statusOnB()) === 'ok', 15_000)).toBe(true);
    expect(await eventually(() => (a.engine.registry?.ids().length ?? 0) === 1, 5_000)).toBe(true);
    expect(await eventually(() => (b.engine.registry?.ids().length ?? 0) === 1, 5_000)).toBe(true);
    expect(b.engine.registry!.ids()).toEqual(a.engine.registry!.ids());
  });

  it('an account edit on one instance (label, disabled) holds on the other: metadata lives in the database', async () => {
    const [id] = a.engine.registry!.ids();
    await a.engine.registry!.update(id, { label: 'Team Claude', disabled: true });
    const onB = () => b.engine.registry!.list().find((v) => v.id === id);
    expect(await eventually(() => onB()?.label === 'Team Claude' && onB()?.status === 'disabled', 5_000)).toBe(true);
  });

  it('refuses a redirect for a flow no instance runs', async () => {
    const res = await fetch(`${b.url}/v0/management/oauth-callback`, {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'no-such-flow', redirect_url: `${LOOPBACK}/callback?code=x&state=y` }),
    });
    expect(res.status).toBe(404);
  });
});
