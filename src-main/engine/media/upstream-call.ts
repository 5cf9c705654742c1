import { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { readBodyBuffer, readBodyText, toNetworkError, type UpstreamNetworkError } from '../pipeline/send-upstream';

/** Body of one media call: bytes, or a fresh chunk sequence per attempt (uploads are re-sent on failover). */
export type MediaBody = string | Buffer | (() => Iterable<Buffer> | AsyncIterable<Buffer>);

export interface MediaHttpRequest {
  url: string;
  headers: Record<string, string>;
  body: MediaBody;
}

type Headers = Record<string, string | string[] | undefined>;

export type MediaHttpResult =
  | { kind: 'ok'; status: number; headers: Headers; body: Buffer }
  | { kind: 'http-error'; status: number; headers: Headers; text: string }
  | { kind: 'network'; error: UpstreamNetworkError };

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'content-length']);

/**
 * One upstream POST. Unlike the chat pipeline's sendUpstream, the body may be a chunk
 * generator, so an upload's base64 is produced while it is written to the socket.
 * Media answers are single JSON documents, so success bodies are read whole here.
 */
export async function sendMedia(req: MediaHttpRequest, dispatcher: Dispatcher, signal: AbortSignal): Promise<MediaHttpResult> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
  const body = typeof req.body === 'function' ? Readable.from(toAsync(req.body()), { objectMode: false }) : req.body;
  try {
    const res = await request(req.url, { method: 'POST', headers, body, dispatcher, signal });
    if (res.statusCode >= 400) {
      return { kind: 'http-error', status: res.statusCode, headers: res.headers, text: await readBodyText(res.body) };
    }
    return { kind: 'ok', status: res.statusCode, headers: res.headers, body: await readBodyBuffer(res.body) };
  } catch (err) {
    return { kind: 'network', error: toNetworkError(err, signal) };
  }
}

async function* toAsync(it: Iterable<Buffer> | AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of it) yield chunk;
}
