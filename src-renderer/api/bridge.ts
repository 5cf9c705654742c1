import type { Result } from '../../src-shared/contract';

/**
 * The only way the renderer reaches the engine. Two implementations: the Electron preload
 * (`window.switchyard`) and HTTP (`/v0/management/ui/*` with the management key).
 */
export interface Bridge {
  readonly kind: 'ipc' | 'http';
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  /** Returns an unsubscribe function. */
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
}

/** What the Electron preload exposes (see src-main/shell/preload). */
export interface PreloadApi {
  invoke(channel: string, payload?: unknown): Promise<Result<unknown>>;
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
  /** Tray window: bring up the main window (optional; the shell may not offer it). */
  openMainWindow?(): void | Promise<void>;
}

declare global {
  interface Window {
    switchyard?: PreloadApi;
  }
}

export function ipcBridge(api: PreloadApi): Bridge {
  return {
    kind: 'ipc',
    invoke: (channel, payload) => api.invoke(channel, payload),
    subscribe: (event, cb) => api.subscribe(event, cb),
  };
}
