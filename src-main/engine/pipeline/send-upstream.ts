import { request, errors as undiciErrors, type Dispatcher } from 'undici';
import type { UpstreamHttpRequest } from '../providers/provider';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/** A network-level failure (no HTTP status): unreachable → 502, timeout → 504. */
export class UpstreamNetworkError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable' | 'aborted',
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamNetworkError';
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export async function sendUpstream(
  req: UpstreamHttpRequest,
  dispatcher: Dispatcher,
  signal: AbortSignal,
): Promise<UpstreamResponse> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
  try {
    const res = await request(req.url, {
      method: req.method,
      headers,
      body: req.body,
      dispatcher,
      signal,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  } catch (err) {
    throw toNetworkError(err, signal);
  }
}

export function toNetworkError(err: unknown, signal?: AbortSignal): UpstreamNetworkError {
  if (err instanceof UpstreamNetworkError) return err;
  if (signal?.aborted) return new UpstreamNetworkError('aborted', 'client went away');
  if (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new UpstreamNetworkError('timeout', `upstream timed out (${(err as Error).message})`);
  }
  const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  return new UpstreamNetworkError('unreachable', `upstream unreachable${code ? ` (${code})` : ''}: ${(err as Error).message}`);
}

/** Read a (small) error body as text, bounded so a hostile upstream cannot exhaust memory. */
export async function readBodyText(body: UpstreamResponse['body'], limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readBodyBuffer(body: UpstreamResponse['body']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
