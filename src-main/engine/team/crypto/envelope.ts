import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Keyring } from './master-key';

/** The marker that tells a sealed record from a plaintext CLIProxyAPI auth file. */
export const ENVELOPE_FORMAT = 'switchyard-sealed-v1';

const envelopeSchema = z.object({
  format: z.literal(ENVELOPE_FORMAT),
  kid: z.string().min(1),
  iv: z.string().min(1),
  tag: z.string().min(1),
  data: z.string(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export class SealedRecordError extends Error {
  constructor(
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
    this.name = 'SealedRecordError';
  }
}

/**
 * AES-256-GCM with a fresh 96-bit IV per record; `aad` binds the ciphertext to its record id so a
 * sealed token cannot be moved to another account's row or file unnoticed.
 */
export function seal(plaintext: string, keyring: Keyring, aad: string): Envelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    format: ENVELOPE_FORMAT,
    kid: keyring.current.id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The envelope when `value` is one, else undefined (a plaintext record). */
export function asEnvelope(value: unknown): Envelope | undefined {
  const r = envelopeSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

export function open(env: Envelope, keyring: Keyring | undefined, aad: string): string {
  if (!keyring) throw new SealedRecordError(`this record is encrypted with key ${env.kid}; set SWITCHYARD_MASTER_KEY to open it`, env.kid);
  const key = keyring.byId(env.kid);
  if (!key) {
    throw new SealedRecordError(
      `this record is encrypted with key ${env.kid}, which SWITCHYARD_MASTER_KEY does not hold (it holds ${keyring.ids().join(', ')})`,
      env.kid,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(env.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(env.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(env.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedRecordError(`the record sealed with key ${env.kid} failed authentication (tampered, or moved from another record)`, env.kid);
  }
}
