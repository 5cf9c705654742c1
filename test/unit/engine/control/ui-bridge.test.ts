import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createControl, type Control } from '../../../../src-main/engine/control';
import { uiBridgeRouter } from '../../../../src-main/engine/management/ui-bridge';
import { FakeEngine } from './fake-facade';

let engine: FakeEngine;
let control: Control;
let server: Server;
let base: string;

beforeAll(async () => {
  engine = await FakeEngine.create();
  engine.addOauthAccount({ id: 'claude:a', provider: 'claude', label: 'a@example.com' });
  control = createControl(engine, { quotaThrottleMs: 10, statusThrottleMs: 10 });
  const app = express();
  app.use('/v0/management', uiBridgeRouter(control, { keepaliveMs: 50 }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v0/management/ui`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  control.dispose();
  engine.close();
});

const post = (channel: string, body?: unknown, raw?: string) =>
  fetch(`${base}/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });

describe('HTTP UI bridge', () => {
  it('answers a channel with the result envelope', async () => {
    const r = await post('app:accounts:list');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { ok: boolean; data: { accounts: Array<{ id: string }> } };
    expect(body.ok).toBe(true);
    expect(body.data.accounts.map((a) => a.id)).toEqual(['claude:a']);
  });

  it('rejects a bad payload with 400 and says what is wrong', async () => {
    const r = await post('app:accounts:set-enabled', { id: 'claude:a', enabled: 'yes' });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { ok: false; error: { code: string; message: string } };
    expect(body.error.code).toBe('bad-request');
    expect(body.error.message).toContain('enabled');
    expect((await post('app:accounts:list', undefined, '{not json')).status).toBe(400);
    expect((await post('app:accounts:remove', {})).status).toBe(400);
  });

  it('answers 404 for unknown channels and for event names', async () => {
    expect((await post('app:nope:nope', {})).status).toBe(404);
    expect((await post('app:quota:updated', {})).status).toBe(404);
    expect((await post('__proto__', {})).status).toBe(404);
  });

  it('maps handler errors to statuses (not-found → 404)', async () => {
    const r = await post('app:accounts:set-enabled', { id: 'ghost', enabled: true });
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('not-found');
  });

  it('refuses GET on a channel', async () => {
    expect((await fetch(`${base}/app:status:get`)).status).toBe(405);
  });

  it('streams contract events over SSE', async () => {
    const ac = new AbortController();
    const res = await fetch(`${base}/events`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      const deadline = Date.now() + 3000;
      while (!text.includes(needle) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text.includes(needle);
    };
    expect(await readUntil(': connected')).toBe(true);
    engine.recordRequest({ requestedModel: 'sse-model' });
    engine.setWindows('claude:a', [{ id: '5h', label: '5-hour', kind: '5h', usedPercent: 10, resetAt: null, windowSeconds: 18000, source: 'traffic', observedAt: Date.now() }]);
    expect(await readUntil('event: app:logs:request-logged')).toBe(true);
    expect(text).toContain('"requestedModel":"sse-model"');
    expect(await readUntil('event: app:quota:updated')).toBe(true);
    expect(await readUntil(': keepalive')).toBe(true);
    ac.abort();
    await reader.cancel().catch(() => undefined);
  });
});
