import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createControl, type Control } from '../../../src-main/engine/control';
import { uiBridgeRouter } from '../../../src-main/engine/management/ui-bridge';
import { FakeEngine } from '../engine/control/fake-facade';
import { httpBridge } from '../../../src-renderer/api/http-bridge';
import { ClientError, createClient } from '../../../src-renderer/api/client';

let engine: FakeEngine;
let control: Control;
let server: Server;
let base: string;
/** GET /ui/events requests seen by the server (each is one event stream the bridge opened). */
let streamsOpened = 0;

beforeAll(async () => {
  engine = await FakeEngine.create();
  engine.addOauthAccount({ id: 'claude:a', provider: 'claude', label: 'a@example.com' });
  control = createControl(engine, { quotaThrottleMs: 5, statusThrottleMs: 5 });
  const app = express();
  app.use((req, _res, next) => {
    if (req.method === 'GET' && req.path.endsWith('/ui/events')) streamsOpened++;
    next();
  });
  app.use('/v0/management', (req, res, next) => (req.headers.authorization === 'Bearer good' ? next() : void res.status(401).json({ error: 'no' })));
  app.use('/v0/management', uiBridgeRouter(control));
  server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v0/management/ui`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  control.dispose();
  engine.close();
});

describe('HTTP bridge + contract client (renderer side)', () => {
  it('calls a channel and returns typed data', async () => {
    const bridge = httpBridge({ baseUrl: base, managementKey: 'good' });
    const client = createClient(bridge);
    const { accounts } = await client.call('app:accounts:list');
    expect(accounts[0].label).toBe('a@example.com');
    bridge.close();
  });

  it('turns error envelopes and a wrong key into ClientErrors with codes', async () => {
    const client = createClient(httpBridge({ baseUrl: base, managementKey: 'good' }));
    await expect(client.call('app:accounts:set-enabled', { id: 'ghost', enabled: true })).rejects.toMatchObject({ code: 'not-found' });
    const wrong = createClient(httpBridge({ baseUrl: base, managementKey: 'bad' }));
    const err = await wrong.call('app:status:get').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).code).toBe('unauthorized');
    const down = createClient(httpBridge({ baseUrl: 'http://127.0.0.1:1/x', managementKey: 'good' }));
    await expect(down.call('app:status:get')).rejects.toMatchObject({ code: 'network' });
  });

  it('delivers events through one shared stream and stops when the last listener leaves', async () => {
    const states: string[] = [];
    const bridge = httpBridge({ baseUrl: base, managementKey: 'good', onConnection: (s) => states.push(s) });
    const client = createClient(bridge);
    const got: string[] = [];
    const off1 = client.on('app:logs:request-logged', (e) => got.push(e.requestedModel));
    const off2 = client.on('app:quota:updated', (e) => got.push(`quota:${e.accounts[0].accountId}`));
    const deadline = Date.now() + 3000;
    while (!states.includes('open') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    engine.recordRequest({ requestedModel: 'm1' });
    engine.setWindows('claude:a', []);
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual(['m1', 'quota:claude:a']);
    off1();
    off2();
    await new Promise((r) => setTimeout(r, 50));
    engine.recordRequest({ requestedModel: 'm2' });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['m1', 'quota:claude:a']);
  });

  it('reports unauthorized on the event stream instead of retrying', async () => {
    const states: string[] = [];
    const bridge = httpBridge({ baseUrl: base, managementKey: 'bad', onConnection: (s) => states.push(s), retryMs: 10 });
    const off = bridge.subscribe('app:status:changed', () => undefined);
    const deadline = Date.now() + 2000;
    while (!states.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(states).toEqual(['unauthorized']);
    off();
  });

  it('keeps the one stream when every listener leaves and comes straight back (no reconnect loop)', async () => {
    const states: string[] = [];
    const bridge = httpBridge({ baseUrl: base, managementKey: 'good', onConnection: (s) => states.push(s) });
    const before = streamsOpened;
    let off = bridge.subscribe('app:status:changed', () => undefined);
    const deadline = Date.now() + 3000;
    while (!states.includes('open') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // What the renderer does on every reconnect: all slices unsubscribe and subscribe again in one turn.
    for (let i = 0; i < 3; i++) {
      off();
      off = bridge.subscribe('app:status:changed', () => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(streamsOpened - before).toBe(1);
    expect(states).toEqual(['open']);
    const got: string[] = [];
    const off2 = bridge.subscribe('app:logs:request-logged', (e) => got.push((e as { requestedModel: string }).requestedModel));
    engine.recordRequest({ requestedModel: 'still-live' });
    while (!got.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual(['still-live']);
    off();
    off2();
    bridge.close();
  });
});
