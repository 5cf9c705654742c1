import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from './harness';

let sy: RunningEngine;
beforeAll(async () => {
  sy = await startEngine(['remote-management: {secret-key: m}', 'openai-compatibility:', '  - name: up', '    base-url: http://127.0.0.1:9/v1', '    api-key: sk-upstream-secret-1234', '    models: [{name: x}]'].join('\n'));
});
afterAll(async () => sy?.close());

const call = (channel: string, payload: unknown, key = 'm') =>
  fetch(`${sy.url}/v0/management/ui/${channel}`, { method: 'POST', headers: { 'x-management-key': key, 'content-type': 'application/json' }, body: JSON.stringify(payload) });

describe('UI contract over HTTP against the real engine', () => {
  it('needs the management key', async () => {
    expect((await call('app:status:get', {}, 'wrong')).status).toBe(401);
  });

  it('reports status and lists accounts without secrets', async () => {
    const status = (await (await call('app:status:get', {})).json()) as { ok: boolean; data: { state: string } };
    expect(status.ok).toBe(true);
    expect(status.data.state).toBe('running');
    const res = await call('app:accounts:list', {});
    const text = await res.text();
    expect(text).not.toContain('sk-upstream-secret-1234');
    const body = JSON.parse(text) as { ok: boolean; data: { accounts: Array<{ provider: string; maskedKey: string }> } };
    expect(body.ok).toBe(true);
    expect(body.data.accounts[0]).toMatchObject({ provider: 'openai-compatibility', maskedKey: 'sk-…1234' });
  });

  it('rejects a bad payload with a clear error', async () => {
    const res = await call('app:mappings:preview', { model: 42 });
    expect(res.status).toBe(400);
  });
});
