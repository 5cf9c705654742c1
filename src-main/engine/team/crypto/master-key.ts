import { createHash, scryptSync } from 'node:crypto';

/** One AES-256 key and the id stored beside every record it sealed (so keys can rotate). */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The current key (seals new records) and older ones (still open old records during a rotation). */
export interface Keyring {
  readonly current: MasterKey;
  byId(id: string): MasterKey | undefined;
  ids(): string[];
}

/**
 * `SWITCHYARD_MASTER_KEY`: 32 bytes as 64 hex digits or base64, or any passphrase of 16+ characters
 * (stretched with scrypt). Several keys separated by commas: the first seals, all open — that is
 * how `switchyard keys rotate` moves records from an old key to a new one.
 */
export function parseKeyring(spec: string): Keyring {
  const parts = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new Error('SWITCHYARD_MASTER_KEY is empty');
  const keys = parts.map(toKey);
  const map = new Map(keys.map((k) => [k.id, k]));
  return { current: keys[0], byId: (id) => map.get(id), ids: () => [...map.keys()] };
}

export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const spec = env.SWITCHYARD_MASTER_KEY;
  return spec ? parseKeyring(spec) : undefined;
}

function toKey(text: string): MasterKey {
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=?$/.test(text)) key = Buffer.from(text, 'base64');
  if (!key || key.length !== 32) {
    if (text.length < 16) throw new Error('SWITCHYARD_MASTER_KEY must be 32 bytes (64 hex digits or base64) or a passphrase of at least 16 characters');
    // A fixed salt keeps the derivation reproducible on every instance; the passphrase carries the entropy.
    key = scryptSync(text, 'switchyard-master-key-v1', 32);
  }
  // The id names the key without revealing it: a short hash of the key itself.
  const id = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return { id, key };
}
