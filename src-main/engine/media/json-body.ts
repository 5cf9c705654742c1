import type { Request } from 'express';
import type { WireError } from '../protocols/protocol';
import { jsonObjectFromBytes } from '../server/client-input';

/**
 * The client's JSON object, read with the upload limit (read per request, so a config reload
 * applies at once). A body another router already read (Gemini routes share a path pattern
 * with the chat routes, whose raw parser runs first) is used as it is.
 */
export async function readJsonObject(
  req: Request,
  limitBytes: number,
): Promise<{ raw: Buffer; body: Record<string, unknown> } | WireError> {
  let raw: Buffer;
  if (Buffer.isBuffer(req.body)) raw = req.body;
  else if (req.readableEnded) {
    // Someone mounted a JSON parser in front of us: work from what it parsed.
    raw = req.body && typeof req.body === 'object' ? Buffer.from(JSON.stringify(req.body)) : Buffer.alloc(0);
  } else {
    const read = await readLimited(req, limitBytes);
    if ('status' in read) return read;
    raw = read.raw;
  }
  return jsonObjectFromBytes(raw);
}

export function tooLarge(limitBytes: number): WireError {
  return {
    status: 413,
    kind: 'invalid_request',
    code: 'request_too_large',
    message: `The request body is larger than the upload limit of ${formatMb(limitBytes)} (config upload-limit-mb).`,
  };
}

export function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

function readLimited(req: Request, limit: number): Promise<{ raw: Buffer } | WireError> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(tooLarge(limit));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const settle = (v: { raw: Buffer } | WireError) => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle({ raw: Buffer.concat(chunks) }));
    req.once('close', () => settle({ status: 499, kind: 'invalid_request', message: 'the client closed the connection before sending the whole body' }));
    req.on('error', (err) => settle({ status: 400, kind: 'invalid_request', message: `could not read the request body: ${err.message}` }));
  });
}
