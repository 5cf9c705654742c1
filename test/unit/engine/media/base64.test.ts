import { describe, expect, it } from 'vitest';
import { base64Chunks, base64Float32, float32Base64 } from '../../../../src-main/engine/media/base64';

describe('base64Chunks', () => {
  it('equals the base64 of the joined bytes, whatever the chunk boundaries', () => {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));
    for (const sizes of [[1000], [1, 2, 997], [5, 5, 5, 985], [999, 1], [3, 3, 994]]) {
      const chunks: Buffer[] = [];
      let at = 0;
      for (const s of sizes) {
        chunks.push(bytes.subarray(at, at + s));
        at += s;
      }
      expect(Buffer.concat([...base64Chunks(chunks)]).toString()).toBe(bytes.toString('base64'));
    }
  });

  it('handles no bytes and empty chunks', () => {
    expect(Buffer.concat([...base64Chunks([])]).toString()).toBe('');
    expect(Buffer.concat([...base64Chunks([Buffer.alloc(0), Buffer.from('ab'), Buffer.alloc(0)])]).toString()).toBe(Buffer.from('ab').toString('base64'));
  });
});

describe('float32 base64', () => {
  it('is little-endian float32, as OpenAI encodes embeddings', () => {
    const b64 = float32Base64([1, -2.5, 0.25]);
    const buf = Buffer.from(b64, 'base64');
    expect(buf.length).toBe(12);
    expect(buf.readFloatLE(0)).toBe(1);
    expect(buf.readFloatLE(4)).toBe(-2.5);
    expect(base64Float32(b64)).toEqual([1, -2.5, 0.25]);
  });
});
