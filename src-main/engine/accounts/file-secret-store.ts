import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import { MalformedAuthFileError, parseAuthFile } from './auth-file';
import { assertSafeId, type SecretStore } from './secret-store';
import type { AuthRecord } from './types';
import type { Keyring } from '../team/crypto/master-key';
import { sealText, unsealText } from '../team/crypto/sealed-text';
import { SealedRecordError } from '../team/crypto/envelope';

/**
 * Secrets as CLIProxyAPI auth files in `auth-dir`: `<id>.json`, mode 0600, directory 0700, every
 * write atomic. A file that does not parse is reported and never overwritten.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;

  /** With a keyring (SWITCHYARD_MASTER_KEY) files are written sealed (AES-256-GCM); plain ones still read. */
  constructor(
    readonly dir: string,
    private readonly keyring?: Keyring,
  ) {}

  fileOf(id: string): string {
    assertSafeId(id);
    return path.join(this.dir, `${id}.json`);
  }

  async get(id: string): Promise<AuthRecord | undefined> {
    const file = this.fileOf(id);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseAuthFile(file, unsealText(id, text, this.keyring));
  }

  async set(id: string, secret: AuthRecord): Promise<void> {
    const file = this.fileOf(id);
    // A broken file might be the user's only copy of a token: refuse to replace it.
    try {
      await this.get(id);
    } catch (err) {
      // Sealed with a key we do not hold is just as irreplaceable.
      if (err instanceof MalformedAuthFileError || err instanceof SealedRecordError) throw err;
    }
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, sealText(id, `${JSON.stringify(secret, null, 2)}\n`, this.keyring), { mode: 0o600 });
  }

  async delete(id: string): Promise<void> {
    await fs.rm(this.fileOf(id), { force: true });
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((id) => /^[A-Za-z0-9@._+-]{1,200}$/.test(id))
      .sort();
  }
}
