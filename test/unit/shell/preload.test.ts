import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels } from '../../../src-shared/contract';

interface BuildScript {
  buildPreload(outfile: string): Promise<{ outfile: string; channels: { invoke: string[]; events: string[] } }>;
}

const buildScript = path.resolve(__dirname, '../../../scripts/build.mjs');
let code = '';

/** Run the bundle the way a sandboxed renderer does: CommonJS, `require` knows only `electron`. */
function loadPreload() {
  const exposed: Record<string, unknown> = {};
  const invoked: Array<{ channel: string; payload: unknown }> = [];
  const listeners = new Map<string, Set<(e: unknown, p: unknown) => void>>();
  const ipcRenderer = {
    invoke: async (channel: string, payload: unknown) => {
      invoked.push({ channel, payload });
      return { ok: true, data: 'from-main' };
    },
    on: (ch: string, fn: (e: unknown, p: unknown) => void) => void (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch)!).add(fn),
    removeListener: (ch: string, fn: (e: unknown, p: unknown) => void) => void listeners.get(ch)?.delete(fn),
    send: () => {
      throw new Error('the preload must not use send');
    },
  };
  const contextBridge = {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed[key] = api;
    },
  };
  const required: string[] = [];
  const module = { exports: {} };
  const sandbox = {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id === 'electron') return { contextBridge, ipcRenderer };
      throw new Error(`module not available in a sandboxed preload: ${id}`);
    },
    Promise,
    Set,
    Error,
    String,
  };
  vm.runInNewContext(code, sandbox, { filename: 'preload.cjs' });
  const emit = (ch: string, payload: unknown) => listeners.get(ch)?.forEach((fn) => fn({ sender: 'ipc-internals', senderId: 0 }, payload));
  return { exposed, invoked, listeners, required, emit };
}

beforeAll(async () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'sy-preload-')), 'preload.cjs');
  const mod = (await import(/* @vite-ignore */ buildScript)) as BuildScript;
  const built = await mod.buildPreload(out);
  expect(built.channels.invoke).toEqual([...invokeChannels].sort());
  expect(built.channels.events).toEqual([...eventChannels].sort());
  code = readFileSync(out, 'utf8');
}, 30_000);

describe('built preload', () => {
  it('is a small CommonJS bundle with no zod and no contract schemas, requiring only electron', () => {
    expect(code.length).toBeLessThan(6000);
    expect(code).not.toMatch(/zod|safeParse|ZodError/);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const { required } = loadPreload();
    expect(required).toEqual(['electron']);
  });

  it('exposes exactly window.switchyard = { invoke, subscribe }', () => {
    const { exposed } = loadPreload();
    expect(Object.keys(exposed)).toEqual(['switchyard']);
    const api = exposed.switchyard as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.subscribe).toBe('function');
  });

  it('invoke forwards listed channels only', async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed.switchyard as { invoke(c: string, p?: unknown): Promise<unknown> };
    expect(await api.invoke('app:status:get', {})).toEqual({ ok: true, data: 'from-main' });
    expect(await api.invoke('app:status:changed', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await api.invoke('shell:openExternal', 'file:///')).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(invoked).toEqual([{ channel: 'app:status:get', payload: {} }]);
  });

  it('subscribe delivers only the payload for listed events and unsubscribes', () => {
    const { exposed, emit, listeners } = loadPreload();
    const api = exposed.switchyard as { subscribe(e: string, cb: (p: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = api.subscribe('app:status:changed', (...args: unknown[]) => got.push(args));
    emit('app:status:changed', { state: 'running' });
    expect(got).toEqual([[{ state: 'running' }]]);
    off();
    emit('app:status:changed', { state: 'stopped' });
    expect(got).toHaveLength(1);
    expect(listeners.get('app:status:changed')?.size).toBe(0);
    expect(() => api.subscribe('app:status:get', () => {})).toThrow(/unknown event/);
    expect(() => api.subscribe('app:quota:updated', 'nope' as never)).toThrow(/callback/);
  });
});
