/**
 * What an uploaded file really is, from its first bytes. The declared Content-Type of a
 * multipart part is whatever the client says; upstreams reject (or mis-handle) bytes that
 * are not the image they claim to be, so we check the signature ourselves.
 */
export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** Bytes needed to recognise every supported signature. */
export const SNIFF_BYTES = 12;

export function sniffImageMime(head: Buffer): ImageMime | undefined {
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 6) {
    const sig = head.toString('latin1', 0, 6);
    if (sig === 'GIF87a' || sig === 'GIF89a') return 'image/gif';
  }
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}
