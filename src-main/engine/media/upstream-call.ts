import { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import type { AttemptClock } from '../pipeline/attempt-clock';
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
  /** `status` when the headers came but the body broke (reset, stall, over the cap). */
  | { kind: 'network'; error: UpstreamNetworkError; status?: number };

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'content-length']);

/**
 * One upstream POST. Unlike the chat pipeline's sendUpstream, the body may be a chunk
 * generator, so an upload's base64 is produced while it is written to the socket.
 * Media answers are single JSON documents, so success bodies are read whole here.
 */
export async function sendMedia(
  req: MediaHttpRequest,
  dispatcher: Dispatcher,
  signal: AbortSignal,
  opts: { maxBytes?: number; clock?: AttemptClock } = {},
): Promise<MediaHttpResult> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
  const body = typeof req.body === 'function' ? Readable.from(toAsync(req.body()), { objectMode: false }) : req.body;
  let status: number | undefined;
  try {
    const res = await request(req.url, { method: 'POST', headers, body, dispatcher, signal });
    status = res.statusCode;
    if (res.statusCode >= 400) {
      return { kind: 'http-error', status: res.statusCode, headers: res.headers, text: await readBodyText(res.body) };
    }
    return { kind: 'ok', status: res.statusCode, headers: res.headers, body: await readBodyBuffer(res.body, opts.maxBytes, { signal, clock: opts.clock }) };
  } catch (err) {
    const error = toNetworkError(err, signal, opts.clock);
    return status === undefined ? { kind: 'network', error } : { kind: 'network', error, status };
  }
}

async function* toAsync(it: Iterable<Buffer> | AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of it) yield chunk;
}
