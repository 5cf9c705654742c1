import { randomBytes } from 'node:crypto';
import { base64Chunks } from './base64';
import type { ParsedUpload, UploadedImage } from './multipart';

/**
 * Upstream bodies built around uploaded images without joining them into one buffer:
 * a JSON body with placeholders that are replaced by base64 chunks while it is sent, and a
 * rebuilt multipart body for OpenAI-compatible upstreams.
 */

/** The marker a JSON body carries where upload `i`'s base64 goes. */
export function placeholder(nonce: string, i: number): string {
  return `__switchyard_upload_${nonce}_${i}__`;
}

/** The serialized JSON text, with each placeholder replaced by its upload's base64, chunk by chunk. */
export function* splicedJson(text: string, images: readonly UploadedImage[], nonce: string): Generator<Buffer> {
  const re = new RegExp(`__switchyard_upload_${nonce}_(\\d+)__`, 'g');
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const img = images[Number(m[1])];
    if (!img) continue;
    yield Buffer.from(text.slice(last, m.index));
    yield* base64Chunks(img.chunks);
    last = m.index + m[0].length;
  }
  yield Buffer.from(text.slice(last));
}

function quoted(v: string): string {
  return v.replace(/[\r\n]/g, ' ').replace(/"/g, '%22');
}

export interface MultipartBody {
  contentType: string;
  chunks: () => Generator<Buffer>;
}

/** multipart/form-data with the client's fields (model replaced) and the uploads as they came. */
export function rebuildMultipart(upload: ParsedUpload, fieldOverrides: Record<string, string>, imageField: string): MultipartBody {
  const boundary = `----switchyard${randomBytes(12).toString('hex')}`;
  const fields = { ...upload.fields, ...fieldOverrides };
  const files = [
    ...upload.images.map((img) => ({ name: imageField, img })),
    ...(upload.mask ? [{ name: 'mask', img: upload.mask }] : []),
  ];
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    *chunks() {
      for (const [name, value] of Object.entries(fields)) {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`);
      }
      for (const { name, img } of files) {
        yield Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"; filename="${quoted(img.filename)}"\r\nContent-Type: ${img.mime}\r\n\r\n`,
        );
        yield* img.chunks;
        yield Buffer.from('\r\n');
      }
      yield Buffer.from(`--${boundary}--\r\n`);
    },
  };
}
