import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from './harness';

let sy: RunningEngine;
beforeAll(async () => {
  sy = await startEngine(
    ['remote-management: {secret-key: m}', 'openai-compatibility:', '  - name: a', '    base-url: http://127.0.0.1:9/v1', '    api-key: k1', '    models: [{name: x}]'].join('\n'),
  );
});
afterAll(async () => sy?.close());

const h = { 'x-management-key': 'm', 'content-type': 'application/json' };

describe('quota and cooldown management', () => {
  it('lists every account with status and windows', async () => {
    const res = await fetch(`${sy.url}/v0/management/quota`, { headers: h });
    const body = (await res.json()) as { accounts: Array<{ id: string; provider: string; status: string; windows: unknown[] }> };
    expect(body.accounts).toHaveLength(1);
    expect(body.accounts[0]).toMatchObject({ provider: 'openai-compatibility', status: 'active', windows: [] });
  });

  it('a failed request cools the account; reset-quota frees it', async () => {
    await fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: h, body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'x' }] }) });
    const id = sy.engine.accounts()[0].id;
    expect(sy.engine.accountStatus(sy.engine.accounts()[0])).toBe('cooling');
    const reset = await fetch(`${sy.url}/v0/management/reset-quota`, { method: 'POST', headers: h, body: JSON.stringify({ id }) });
    expect(reset.status).toBe(200);
    expect(sy.engine.accountStatus(sy.engine.accounts()[0])).toBe('active');
    const bad = await fetch(`${sy.url}/v0/management/reset-quota`, { method: 'POST', headers: h, body: JSON.stringify({ id: 'nope' }) });
    expect(bad.status).toBe(404);
  });
});
