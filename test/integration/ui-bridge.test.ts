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

describe('seed management routes for accounts', () => {
  const h = { 'x-management-key': 'm', 'content-type': 'application/json' };
  it('adds a key account from credentials and lists it with status and quota fields', async () => {
    const add = await fetch(`${sy.url}/v0/management/accounts`, { method: 'POST', headers: h, body: JSON.stringify({ provider: 'claude-api', api_key: 'sk-ant-test-9999', prefix: 'c' }) });
    expect(add.status).toBe(201);
    const list = (await (await fetch(`${sy.url}/v0/management/accounts`, { headers: h })).json()) as { accounts: Array<Record<string, unknown>> };
    const claude = list.accounts.find((a) => a.provider === 'claude-api');
    expect(claude).toMatchObject({ status: 'active', quota_remaining: null, cooldown_until: null, prefix: 'c' });
    expect(JSON.stringify(list)).not.toContain('sk-ant-test-9999');
    expect(sy.engine.config.current['claude-api-key'][0]['api-key']).toBe('sk-ant-test-9999');
  });

  it('refuses an incomplete account with a clear 400', async () => {
    const res = await fetch(`${sy.url}/v0/management/accounts`, { method: 'POST', headers: h, body: JSON.stringify({ provider: 'openai-compatibility', api_key: 'k' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/base_url/);
  });

  it('keeps a request log without secrets', async () => {
    await fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: h, body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'q' }] }) });
    const logs = (await (await fetch(`${sy.url}/v0/management/logs`, { headers: h })).json()) as { lines: string[] };
    expect(logs.lines.some((l) => l.includes(' x -> openai-compatibility:x'))).toBe(true);
    expect(JSON.stringify(logs)).not.toContain('sk-upstream-secret');
  });
});
