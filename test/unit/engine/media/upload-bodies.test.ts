import busboy from 'busboy';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ParsedUpload, UploadedImage } from '../../../../src-main/engine/media/multipart';
import { placeholder, rebuildMultipart, splicedJson } from '../../../../src-main/engine/media/upload-bodies';

const image = (bytes: Buffer, chunk = 64 * 1024, filename = 'a.png'): UploadedImage => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  return { field: 'image', filename, mime: 'image/png', chunks, size: bytes.length };
};

describe('splicedJson', () => {
  it('puts each upload\'s base64 where its placeholder was, in pieces no bigger than a chunk', () => {
    const a = Buffer.alloc(1_000_000, 7);
    const b = Buffer.from('second image bytes');
    const body = { parts: [{ inlineData: { data: placeholder('n1', 0) } }, { inlineData: { data: placeholder('n1', 1) } }, { text: placeholder('other', 0) }] };
    const pieces = [...splicedJson(JSON.stringify(body), [image(a), image(b)], 'n1')];
    const parsed = JSON.parse(Buffer.concat(pieces).toString()) as typeof body;
    expect(parsed.parts[0]!.inlineData!.data).toBe(a.toString('base64'));
    expect(parsed.parts[1]!.inlineData!.data).toBe(b.toString('base64'));
    // A marker with another nonce (say, typed into a prompt) is left alone.
    expect(parsed.parts[2]!.text).toBe(placeholder('other', 0));
    // Streamed, never joined: no piece is much larger than one upload chunk in base64.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(Math.ceil((64 * 1024 + 2) / 3) * 4);
  });
});

describe('rebuildMultipart', () => {
  it('produces a form any multipart parser reads back: fields (model replaced) and files with sniffed types', async () => {
    const upload: ParsedUpload = {
      fields: { model: 'alias', prompt: 'say "cheese"\nplease', n: '2' },
      images: [image(Buffer.from('first'), 2, 'one.png'), image(Buffer.from('second'), 4, 'two "quoted".png')],
      mask: { ...image(Buffer.from('mask')), field: 'mask', filename: 'm.png' },
    };
    const mp = rebuildMultipart(upload, { model: 'upstream-model' }, 'image[]');
    const fields: Record<string, string> = {};
    const files: Array<{ name: string; filename: string; mime: string; data: string }> = [];
    await new Promise<void>((resolve, reject) => {
      const bb = busboy({ headers: { 'content-type': mp.contentType } });
      bb.on('field', (k, v) => (fields[k] = v));
      bb.on('file', (name, stream, info) => {
        const parts: Buffer[] = [];
        stream.on('data', (c: Buffer) => parts.push(c));
        stream.on('end', () => files.push({ name, filename: info.filename ?? '', mime: info.mimeType, data: Buffer.concat(parts).toString() }));
      });
      bb.on('close', resolve);
      bb.on('error', reject);
      Readable.from(mp.chunks()).pipe(bb);
    });
    expect(fields).toEqual({ model: 'upstream-model', prompt: 'say "cheese"\nplease', n: '2' });
    expect(files).toEqual([
      { name: 'image[]', filename: 'one.png', mime: 'image/png', data: 'first' },
      { name: 'image[]', filename: 'two %22quoted%22.png', mime: 'image/png', data: 'second' },
      { name: 'mask', filename: 'm.png', mime: 'image/png', data: 'mask' },
    ]);
  });
});
