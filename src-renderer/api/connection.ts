import { ipcBridge, type Bridge } from './bridge';
import { createClient, type ContractClient } from './client';
import { httpBridge } from './http-bridge';

const KEY_STORAGE = 'switchyard.managementKey';

/** In Electron the preload bridge is there; in a browser (`/ui/` on serve) we need the key. */
export function hasIpc(): boolean {
  return typeof window !== 'undefined' && !!window.switchyard;
}

/** `/ui/` is served by the engine itself, so the management API is on the same origin. */
export function defaultHttpBase(loc: Pick<Location, 'origin'> = window.location): string {
  return `${loc.origin}/v0/management/ui`;
}

export function savedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function saveKey(key: string | null, remember: boolean): void {
  try {
    sessionStorage.removeItem(KEY_STORAGE);
    localStorage.removeItem(KEY_STORAGE);
    if (key) (remember ? localStorage : sessionStorage).setItem(KEY_STORAGE, key);
  } catch {
    // storage disabled: the key lives only in memory
  }
}

export function connectIpc(): ContractClient {
  return createClient(ipcBridge(window.switchyard!));
}

export function connectHttp(key: string, onConnection?: (s: 'open' | 'closed' | 'unauthorized') => void): { client: ContractClient; bridge: Bridge & { close(): void } } {
  const bridge = httpBridge({ baseUrl: defaultHttpBase(), managementKey: key, onConnection });
  return { client: createClient(bridge), bridge };
}
