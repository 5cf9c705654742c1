import { FileSecretStore } from './file-secret-store';
import type { SecretStore } from './secret-store';
import type { AuthRecord } from './types';
import type { Keyring } from '../team/crypto/master-key';

/** How long a keychain read may take before it counts as "no keychain" (a locked or absent Secret Service). */
const KEYCHAIN_TIMEOUT_MS = 3_000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('keychain did not answer')), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * The default account store of both `switchyard login` and the desktop app when `secret-store`
 * is not set: auth files in `auth-dir`, where every new sign-in goes, plus the accounts an
 * earlier desktop version kept in the OS keychain, read where they are (nothing is lost, nothing
 * is copied out of the keychain). A missing or silent keychain just means "no such accounts".
 */
export class SharedSecretStore extends FileSecretStore {
  /** Ids that live only in the keychain. */
  private readonly inKeychain = new Set<string>();
  private keychain?: Promise<SecretStore | undefined>;

  constructor(
    dir: string,
    private readonly openKeychain: () => Promise<SecretStore>,
    keyring?: Keyring,
  ) {
    super(dir, keyring);
  }

  private keychainStore(): Promise<SecretStore | undefined> {
    return (this.keychain ??= within(this.openKeychain(), KEYCHAIN_TIMEOUT_MS).catch(() => undefined));
  }

  /** Where one account's secret lives. */
  locationOf(id: string): 'file' | 'keychain' {
    return this.inKeychain.has(id) ? 'keychain' : 'file';
  }

  override async list(): Promise<string[]> {
    const files = await super.list();
    let keys: string[] = [];
    const k = await this.keychainStore();
    if (k) keys = await within(k.list(), KEYCHAIN_TIMEOUT_MS).catch(() => []);
    const fileSet = new Set(files);
    this.inKeychain.clear();
    for (const id of keys) if (!fileSet.has(id)) this.inKeychain.add(id);
    return [...new Set([...files, ...this.inKeychain])].sort();
  }

  override async get(id: string): Promise<AuthRecord | undefined> {
    if (!this.inKeychain.has(id)) return super.get(id);
    return (await this.keychainStore())?.get(id);
  }

  /** A keychain account stays in the keychain (refreshed tokens go back there); new ones are files. */
  override async set(id: string, secret: AuthRecord): Promise<void> {
    const k = this.inKeychain.has(id) ? await this.keychainStore() : undefined;
    if (k) return k.set(id, secret);
    return super.set(id, secret);
  }

  override async delete(id: string): Promise<void> {
    await super.delete(id);
    if (!this.inKeychain.has(id)) return;
    await (await this.keychainStore())?.delete(id);
    this.inKeychain.delete(id);
  }
}
