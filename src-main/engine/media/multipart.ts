import type busboyModule from 'busboy';
import type { Request } from 'express';
import type { WireError } from '../protocols/protocol';
import { sniffImageMime, SNIFF_BYTES, type ImageMime } from './image-magic';
import { tooLarge } from './json-body';

/** One uploaded image, kept as the chunks busboy produced (the only copy of its bytes). */
export interface UploadedImage {
  field: 'image' | 'mask';
  filename: string;
  mime: ImageMime;
  chunks: Buffer[];
  size: number;
}

export interface ParsedUpload {
  fields: Record<string, string>;
  images: UploadedImage[];
  mask?: UploadedImage;
}

const IMAGE_FIELDS = new Set(['image', 'image[]']);
/** After the limit is hit we still read (and drop) this much more, so the client can see our 413. */
const DRAIN_FACTOR = 4;
const DRAIN_MS = 15_000;

/**
 * Parse multipart/form-data as it arrives. Bytes are counted on the wire, so an oversized
 * upload is refused with 413 as soon as it crosses the limit, and file contents are checked
 * by their magic bytes, not their declared type.
 */
export async function parseImageUpload(req: Request, limitBytes: number): Promise<ParsedUpload | WireError> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    return { status: 400, kind: 'invalid_request', message: 'Send images/edits as multipart/form-data with the image file(s) and a prompt.' };
  }
  if (req.readableEnded) {
    return { status: 500, kind: 'server', message: 'The upload was consumed by another body parser before the images route could read it.' };
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return refuseAfterDrain(req, tooLarge(limitBytes), limitBytes);
  // Loaded on the first upload, not at engine start (the request stays paused meanwhile).
  const { default: busboy } = await import('busboy');

  return new Promise((resolve) => {
    let settled = false;
    let bb: busboyModule.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fieldSize: 1 << 20, fields: 100, files: 20, parts: 200 } });
    } catch (err) {
      resolve({ status: 400, kind: 'invalid_request', message: `Malformed multipart request: ${(err as Error).message}` });
      return;
    }
    const fields: Record<string, string> = {};
    const images: UploadedImage[] = [];
    let mask: UploadedImage | undefined;
    let problem: WireError | undefined;
    let received = 0;

    const settle = (v: ParsedUpload | WireError) => {
      if (settled) return;
      settled = true;
      resolve(v);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes && !settled) {
        req.unpipe(bb);
        req.off('data', onData);
        images.length = 0;
        mask = undefined;
        settled = true;
        void refuseAfterDrain(req, tooLarge(limitBytes), limitBytes, received).then(resolve);
      }
    };
    req.on('data', onData);

    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      const isImage = IMAGE_FIELDS.has(name);
      if (!isImage && name !== 'mask') {
        problem ??= { status: 400, kind: 'invalid_request', message: `Unexpected file field "${name}": send images as "image" (or "image[]") and an optional "mask".`, details: { param: name } };
        stream.resume();
        return;
      }
      const file = { field: isImage ? 'image' : 'mask', filename: info.filename ?? 'upload', chunks: [] as Buffer[], size: 0 };
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        file.chunks.push(chunk);
        file.size += chunk.length;
      });
      stream.on('end', () => {
        if (settled) return;
        const head = file.chunks.length && file.chunks[0]!.length >= SNIFF_BYTES ? file.chunks[0]! : Buffer.concat(file.chunks).subarray(0, SNIFF_BYTES);
        const mime = sniffImageMime(head);
        if (!mime) {
          const declaredType = info.mimeType ? ` (declared ${info.mimeType})` : '';
          problem ??= { status: 400, kind: 'invalid_request', message: `The uploaded file "${file.filename}"${declaredType} is not a PNG, JPEG, GIF or WebP image.`, details: { param: name } };
          file.chunks.length = 0;
          return;
        }
        const img: UploadedImage = { ...file, field: file.field as UploadedImage['field'], mime };
        if (img.field === 'mask') mask = img;
        else images.push(img);
      });
    });
    bb.on('error', (err: Error) => {
      req.unpipe(bb);
      req.resume();
      settle({ status: 400, kind: 'invalid_request', message: `Malformed multipart request: ${err.message}` });
    });
    bb.on('close', () => {
      req.off('data', onData);
      if (problem) return settle(problem);
      if (images.length === 0) return settle({ status: 400, kind: 'invalid_request', message: 'No image was uploaded: add one or more files in the "image" field.', details: { param: 'image' } });
      settle({ fields, images, mask });
    });
    // A client that goes away mid-upload never ends the form: let go of what was received.
    req.once('close', () => {
      if (settled || req.readableEnded) return;
      images.length = 0;
      mask = undefined;
      settle({ status: 499, kind: 'invalid_request', message: 'the client closed the connection during the upload' });
    });
    req.pipe(bb);
  });
}

/**
 * Read and drop the rest of an oversized body (up to a cap, for at most DRAIN_MS) before
 * answering, so HTTP clients that write the whole body before reading get the 413 instead
 * of a reset connection. Nothing is kept.
 */
function refuseAfterDrain(req: Request, err: WireError, limitBytes: number, already = 0): Promise<WireError> {
  return new Promise((resolve) => {
    let seen = already;
    const cap = limitBytes * DRAIN_FACTOR;
    const done = () => {
      clearTimeout(timer);
      req.off('data', drop);
      req.off('end', done);
      req.off('close', done);
      resolve(err);
    };
    const drop = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > cap) {
        done();
        req.destroy();
      }
    };
    const timer = setTimeout(done, DRAIN_MS);
    req.on('data', drop);
    req.once('end', done);
    req.once('close', done);
    if (req.readableEnded) done();
    req.resume();
  });
}
