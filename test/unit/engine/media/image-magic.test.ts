import { describe, expect, it } from 'vitest';
import { sniffImageMime } from '../../../../src-main/engine/media/image-magic';

describe('sniffImageMime', () => {
  it('recognises PNG, JPEG, GIF and WebP by their signatures', () => {
    expect(sniffImageMime(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))).toBe('image/png');
    expect(sniffImageMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageMime(Buffer.from('GIF89a......'))).toBe('image/gif');
    expect(sniffImageMime(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP')]))).toBe('image/webp');
  });

  it('refuses anything else, including text that claims to be an image', () => {
    expect(sniffImageMime(Buffer.from('not an image at all'))).toBeUndefined();
    expect(sniffImageMime(Buffer.from('%PDF-1.7'))).toBeUndefined();
    expect(sniffImageMime(Buffer.alloc(0))).toBeUndefined();
    expect(sniffImageMime(Buffer.from([0x89, 0x50]))).toBeUndefined();
  });
});
