import { asEnvelope, open, seal } from './envelope';
import type { Keyring } from './master-key';

/**
 * File contents as the secret stores keep them: sealed JSON when a master key is set, plain
 * CLIProxyAPI JSON otherwise. Plain files still read (imports, older installs); they are sealed
 * the next time they are written or by `switchyard keys rotate`.
 */
export function sealText(id: string, plaintext: string, keyring: Keyring | undefined): string {
  if (!keyring) return plaintext;
  return `${JSON.stringify(seal(plaintext, keyring, id), null, 2)}\n`;
}

/** Plaintext of a stored file: opened when sealed, unchanged otherwise. Throws SealedRecordError. */
export function unsealText(id: string, text: string, keyring: Keyring | undefined): string {
  if (!text.includes('"switchyard-sealed-v1"')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text; // not JSON at all: the auth-file parser reports it
  }
  const env = asEnvelope(parsed);
  return env ? open(env, keyring, id) : text;
}

export function isSealedText(text: string): boolean {
  return text.includes('"switchyard-sealed-v1"');
}
