/**
 * Base64 helpers for media bodies. Uploads are kept as the raw chunks busboy handed us (one
 * copy in memory); the base64 form an upstream needs is produced chunk by chunk while the
 * request body is being sent, so a 20 MB image never exists twice as a whole.
 */

/** Base64 of a list of byte chunks, yielded in pieces (3-byte groups carried across chunks). */
export function* base64Chunks(chunks: readonly Buffer[]): Generator<Buffer> {
  let carry = Buffer.alloc(0);
  for (const chunk of chunks) {
    const joined = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = joined.length - (joined.length % 3);
    if (whole > 0) yield Buffer.from(joined.subarray(0, whole).toString('base64'), 'latin1');
    carry = Buffer.from(joined.subarray(whole));
  }
  if (carry.length) yield Buffer.from(carry.toString('base64'), 'latin1');
}

/** Vector → base64 of its little-endian float32 bytes (OpenAI `encoding_format: "base64"`). */
export function float32Base64(values: readonly number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

/** Inverse of float32Base64, for an OpenAI-compatible upstream that answered in base64. */
export function base64Float32(b64: string): number[] {
  const buf = Buffer.from(b64, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}
