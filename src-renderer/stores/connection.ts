import { create } from 'zustand';
import type { ContractClient } from '../api/client';

export type StreamState = 'ipc' | 'open' | 'closed' | 'unauthorized';

interface ConnectionState {
  client: ContractClient | null;
  /** need-key: the browser asks for the management key first. */
  phase: 'need-key' | 'checking' | 'ready';
  error: string | null;
  /** The contract/transport code of `error` (`management-disabled`, `unauthorized`, `network`, …). */
  errorCode: string | null;
  stream: StreamState;
  /** Bumped on every (re)connect of the event stream so slices refetch snapshots they may have missed. */
  epoch: number;
  disconnect: (() => void) | null;
  set(p: Partial<Omit<ConnectionState, 'set'>>): void;
}

export const useConnection = create<ConnectionState>()((set) => ({
  client: null,
  phase: 'need-key',
  error: null,
  errorCode: null,
  stream: 'closed',
  epoch: 0,
  disconnect: null,
  set: (p) => set(p),
}));

/** The client for actions; slices are only connected once it exists. */
export function client(): ContractClient {
  const c = useConnection.getState().client;
  if (!c) throw new Error('not connected');
  return c;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
