import { MalformedAuthFileError, parseAuthFile } from './auth-file';
import { assertSafeId, type SecretStore } from './secret-store';
import type { AuthRecord } from './types';

export const KEYCHAIN_SERVICE = 'switchyard';

/** The part of keytar we use (injectable so the desktop shell can pass its own loaded copy). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** OS keychain backend: service `switchyard`, one entry per account holding the auth record JSON. */
export class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string = KEYCHAIN_SERVICE,
  ) {}

  async get(id: string): Promise<AuthRecord | undefined> {
    assertSafeId(id);
    const text = await this.keytar.getPassword(this.service, id);
    if (text === null) return undefined;
    return parseAuthFile(`keychain:${this.service}/${id}`, text);
  }

  async set(id: string, secret: AuthRecord): Promise<void> {
    assertSafeId(id);
    try {
      await this.get(id);
    } catch (err) {
      if (err instanceof MalformedAuthFileError) throw err;
    }
    await this.keytar.setPassword(this.service, id, JSON.stringify(secret));
  }

  async delete(id: string): Promise<void> {
    assertSafeId(id);
    await this.keytar.deletePassword(this.service, id);
  }

  async list(): Promise<string[]> {
    const creds = await this.keytar.findCredentials(this.service);
    return creds.map((c) => c.account).sort();
  }
}

/** Load the native keytar module; throws a readable error when the platform has no keychain. */
export async function openKeychainStore(service: string = KEYCHAIN_SERVICE): Promise<KeychainSecretStore> {
  let mod: KeytarLike;
  try {
    const imported = (await import('keytar')) as unknown as { default?: KeytarLike } & KeytarLike;
    mod = imported.default ?? imported;
  } catch (err) {
    throw new Error(`the OS keychain is not available (${(err as Error).message}); set "secret-store: file"`);
  }
  return new KeychainSecretStore(mod, service);
}
