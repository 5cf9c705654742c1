/**
 * The sandboxed preload (built to dist/preload/preload.cjs). It exposes exactly
 * `window.switchyard = { invoke, subscribe }`, each limited to the contract's channel names.
 * The names are baked in at build time (scripts/build.mjs `define`) so this bundle carries no
 * zod and no contract code: nothing but this file.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

declare const __SWITCHYARD_INVOKE_CHANNELS__: readonly string[];
declare const __SWITCHYARD_EVENT_CHANNELS__: readonly string[];

const invokable = new Set<string>(__SWITCHYARD_INVOKE_CHANNELS__);
const events = new Set<string>(__SWITCHYARD_EVENT_CHANNELS__);

contextBridge.exposeInMainWorld('switchyard', {
  invoke(channel: string, payload?: unknown): Promise<unknown> {
    if (typeof channel !== 'string' || !invokable.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown-channel', message: `unknown channel: ${String(channel)}` } });
    }
    return ipcRenderer.invoke(channel, payload);
  },
  subscribe(event: string, cb: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !events.has(event)) throw new Error(`unknown event: ${String(event)}`);
    if (typeof cb !== 'function') throw new Error('subscribe needs a callback');
    // The renderer never sees the IpcRendererEvent (it would hand it `sender`).
    const listener = (_e: IpcRendererEvent, payload: unknown) => cb(payload);
    ipcRenderer.on(event, listener);
    return () => void ipcRenderer.removeListener(event, listener);
  },
});
