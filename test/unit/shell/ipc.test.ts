import { beforeEach, describe, expect, it } from 'vitest';
import { BrowserWindow, fake, ipcMain, readyFake } from '../../fakes/electron';
import { contract, eventChannels, invokeChannels, type Handlers } from '../../../src-shared/contract';
import type { Status } from '../../../src-shared/domain';
import { EventBroadcaster, registerHandlers } from '../../../src-main/shell/ipc';
import { APP_ORIGIN } from '../../../src-main/shell/urls';

const status: Status = {
  state: 'running',
  baseUrl: 'http://127.0.0.1:8317',
  host: '127.0.0.1',
  port: 8317,
  startedAt: 1,
  error: null,
  version: '0.1.0',
  mode: 'desktop',
  accounts: { total: 0, active: 0, cooling: 0, needsSignIn: 0, disabled: 0 },
  today: { requests: 0, tokens: 0, errors: 0 },
};

async function setup() {
  const calls: Array<{ channel: string; req: unknown }> = [];
  const handlers = Object.fromEntries(
    invokeChannels.map((c) => [
      c,
      async (req: unknown) => {
        calls.push({ channel: c, req });
        if (c === 'app:status:get') return { ...status, accessToken: 'ya29.secret' };
        if (c === 'app:accounts:remove') return { removed: true };
        throw new Error(`not scripted: ${c}`);
      },
    ]),
  ) as unknown as Handlers;
  const own = new BrowserWindow({});
  await own.loadURL(`${APP_ORIGIN}/index.html`);
  const log: string[] = [];
  registerHandlers(contract, handlers, { ownContents: () => [own.webContents as never], packaged: true, log: (m) => log.push(m) });
  return { calls, own, log };
}

beforeEach(() => readyFake());

describe('IPC transport', () => {
  it('registers exactly the contract invoke channels (events are not invokable)', async () => {
    await setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...invokeChannels].sort());
    for (const e of eventChannels) expect(ipcMain.handlers.has(e)).toBe(false);
  });

  it('answers our own window with the envelope, and strips fields outside the schema (no tokens cross)', async () => {
    const { own } = await setup();
    const r = (await ipcMain.invoke('app:status:get', { webContents: own.webContents }, undefined)) as { ok: boolean; data: Record<string, unknown> };
    expect(r.ok).toBe(true);
    expect(r.data.baseUrl).toBe('http://127.0.0.1:8317');
    expect(r.data).not.toHaveProperty('accessToken');
    expect(JSON.stringify(r)).not.toContain('ya29');
  });

  it.each(invokeChannels)('%s rejects a foreign sender and a bad payload', async (channel) => {
    const { own, calls } = await setup();
    const foreign = new BrowserWindow({});
    await foreign.loadURL(`${APP_ORIGIN}/index.html`);
    const refused = (await ipcMain.invoke(channel, { webContents: foreign.webContents }, {})) as { ok: boolean; error: { code: string } };
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // A payload no request schema accepts: not an object at all.
    const bad = (await ipcMain.invoke(channel, { webContents: own.webContents }, 'not-an-object')) as { ok: boolean; error: { code: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(calls).toEqual([]);
  });

  it('refuses sub-frames, other origins and vanished frames of our own window', async () => {
    const { own, calls, log } = await setup();
    const iframe = own.webContents.mainFrame.child(`${APP_ORIGIN}/index.html`);
    expect(await ipcMain.invoke('app:status:get', { webContents: own.webContents, frame: iframe })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    own.webContents.mainFrame.url = 'https://evil.example/';
    expect(await ipcMain.invoke('app:status:get', { webContents: own.webContents })).toMatchObject({ ok: false, error: { message: expect.stringContaining('https://evil.example') } });
    const handler = ipcMain.handlers.get('app:status:get')!;
    expect(await handler({ sender: own.webContents, senderFrame: null }, {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(calls).toEqual([]);
    expect(log).toHaveLength(3);
  });

  it('in development only the dev-server origin is trusted, and never once packaged', async () => {
    const win = new BrowserWindow({});
    await win.loadURL('http://localhost:5173/index.html');
    registerHandlers(contract, { 'app:status:get': async () => status } as unknown as Handlers, {
      ownContents: () => [win.webContents as never],
      packaged: false,
      devServerUrl: 'http://localhost:5173',
    });
    expect(await ipcMain.invoke('app:status:get', { webContents: win.webContents }, {})).toMatchObject({ ok: true });
    win.webContents.mainFrame.url = 'http://localhost:5174/index.html';
    expect(await ipcMain.invoke('app:status:get', { webContents: win.webContents }, {})).toMatchObject({ ok: false });
  });

  it('validates payloads and passes parsed requests to handlers', async () => {
    const { own, calls } = await setup();
    expect(await ipcMain.invoke('app:accounts:remove', { webContents: own.webContents }, { id: 42 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await ipcMain.invoke('app:accounts:remove', { webContents: own.webContents }, { id: 'a1', extra: true })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await ipcMain.invoke('app:accounts:remove', { webContents: own.webContents }, { id: 'a1' })).toEqual({ ok: true, data: { removed: true } });
    expect(calls).toEqual([{ channel: 'app:accounts:remove', req: { id: 'a1' } }]);
  });

  it('a handler error comes back as an envelope, not a thrown IPC error', async () => {
    const { own } = await setup();
    expect(await ipcMain.invoke('app:quota:get', { webContents: own.webContents }, {})).toEqual({ ok: false, error: { code: 'internal', message: 'not scripted: app:quota:get' } });
  });

  it('events reach our windows validated, and malformed payloads are dropped', async () => {
    const { own } = await setup();
    const other = new BrowserWindow({});
    const b = new EventBroadcaster(contract, () => [own.webContents as never]);
    expect(b.emit('app:status:changed', { ...status, refreshToken: 'r' })).toBe(true);
    expect(b.emit('app:status:changed', { state: 'nonsense' })).toBe(false);
    expect(b.emit('app:not-an-event', {})).toBe(false);
    expect(own.webContents.sent).toHaveLength(1);
    expect(own.webContents.sent[0].channel).toBe('app:status:changed');
    expect(own.webContents.sent[0].args[0]).not.toHaveProperty('refreshToken');
    expect(other.webContents.sent).toEqual([]);
    expect(fake.notifications).toEqual([]);
  });
});
