import type { AuthRecord } from './types';

/**
 * Where account secrets live. Keys are account ids; values are whole auth records (CLIProxyAPI
 * auth-file objects). Backends: OS keychain (desktop default) and auth-dir files (headless default).
 */
export interface SecretStore {
  readonly kind: 'keychain' | 'file';
  /** undefined when absent. Throws MalformedAuthFileError when present but unreadable. */
  get(id: string): Promise<AuthRecord | undefined>;
  set(id: string, secret: AuthRecord): Promise<void>;
  delete(id: string): Promise<void>;
  /** Every stored account id (malformed entries included: `get` reports them). */
  list(): Promise<string[]>;
}

/**
 * Account ids end up in file names and keychain entries: keep them to a safe alphabet, and no
 * leading dot (`.`, `..`, hidden files and our own atomic-write temp files).
 */
export function isSafeId(id: string): boolean {
  return /^[A-Za-z0-9@._+-]{1,200}$/.test(id) && !id.startsWith('.');
}

export function assertSafeId(id: string): void {
  if (!isSafeId(id)) throw new Error(`invalid account id "${id}"`);
}
