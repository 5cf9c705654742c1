import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('a rejected key reads "needs-login" in the management JSON (its public spelling), "needs-sign-in" everywhere else', async () => {
    // The upstream answers like OpenAI does to a wrong key.
    const up = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    });
    await new Promise<void>((resolve) => up.listen(0, '127.0.0.1', resolve));
    const port = (up.address() as AddressInfo).port;
    const e = await startEngine(
      ['remote-management: {secret-key: m}', 'openai-compatibility:', '  - name: b', `    base-url: http://127.0.0.1:${port}/v1`, '    api-key: wrong', '    models: [{name: y}]'].join('\n'),
    );
    try {
      const chat = await fetch(`${e.url}/v1/chat/completions`, { method: 'POST', headers: h, body: JSON.stringify({ model: 'y', messages: [{ role: 'user', content: 'x' }] }) });
      expect(chat.status).toBe(401);
      const body = (await (await fetch(`${e.url}/v0/management/quota`, { headers: h })).json()) as { accounts: Array<{ status: string }> };
      expect(body.accounts.map((a) => a.status)).toEqual(['needs-login']);
      expect(e.engine.accountStatus(e.engine.accounts()[0])).toBe('needs-sign-in');
    } finally {
      await e.close();
      up.close();
    }
  });
});
