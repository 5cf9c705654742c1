import { Readable } from 'node:stream';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import type { UpstreamHttpRequest } from '../providers/provider';
import type { AttemptClock } from './attempt-clock';
import { dispatchCall, UpstreamBody, type CallOptions, type Collected } from './upstream-call';

/**
 * A request body: bytes; bytes in pieces, written in order with their total as `content-length`
 * (a large body with one field changed is sent without joining it into another copy); or a fresh
 * chunk sequence per call (uploads are re-sent on failover).
 */
export type OutboundBody = string | Buffer | readonly Buffer[] | (() => Iterable<Buffer> | AsyncIterable<Buffer>);

/** What goes on the wire: the provider's request, with a body that may be produced while it is written. */
export type OutboundRequest = Omit<UpstreamHttpRequest, 'body'> & { body?: OutboundBody };

/** An answer's body: read once as an async iterator; `destroy` stops it (and the call, if still running). */
export interface UpstreamBodyStream extends AsyncIterable<Buffer> {
  destroy(err?: Error): unknown;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBodyStream;
}

/**
 * A failure without a usable HTTP answer: unreachable / reset → 502, timeout → 504, a body over
 * `limits.upstream-body-mb` → 502, the client went away → aborted.
 */
export class UpstreamNetworkError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable' | 'aborted' | 'too-large',
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamNetworkError';
  }

  /** The status the client gets when this ends the request. */
  get status(): number {
    return this.kind === 'timeout' ? 504 : this.kind === 'aborted' ? 499 : 502;
  }
}

/**
 * Connection-specific fields (RFC 9110 §7.6.1) never go upstream, nor do the fields a
 * `Connection` header names. `content-length` is not hop-by-hop, but the framing is undici's:
 * it measures the body it sends (a streamed upload has no length known in advance).
 */
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'proxy-connection', 'keep-alive', 'te', 'transfer-encoding', 'upgrade', 'content-length']);

export function outboundHeaders(headers: Record<string, string>): string[] {
  const keys = Object.keys(headers);
  let named: Set<string> | undefined;
  for (const k of keys) {
    if (k.toLowerCase() === 'connection') {
      named ??= new Set();
      for (const n of headers[k].split(',')) named.add(n.trim().toLowerCase());
    }
  }
  // A flat [name, value, …] list: undici takes it as it is (no object to walk again).
  const out: string[] = [];
  for (const k of keys) {
    const name = k.toLowerCase();
    if (!HOP_BY_HOP.has(name) && !named?.has(name)) out.push(k, headers[k]);
  }
  return out;
}

async function* chunks(it: Iterable<Buffer> | AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of it) yield chunk;
}

export interface SendOptions {
  /** Headers/body silence limits for this call (ms); the dispatcher's own apply otherwise. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Deadline and client abort for this attempt; errors are explained through it. */
  clock?: AttemptClock;
}

/** Origin and path of each upstream URL, parsed once (the same few URLs come back on every call). */
const targets = new Map<string, { origin: string; path: string }>();
const MAX_TARGETS = 512;

function targetOf(url: string): { origin: string; path: string } {
  let t = targets.get(url);
  if (!t) {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new undiciErrors.InvalidArgumentError('Invalid URL protocol: the URL must start with `http:` or `https:`.');
    t = { origin: u.origin, path: u.search ? `${u.pathname}${u.search}` : u.pathname };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(url, t);
  }
  return t;
}

/** The one way anything goes upstream: chat, counts, embeddings and images alike. */
export async function sendUpstream(
  req: OutboundRequest,
  dispatcher: Dispatcher,
  /** The caller's abort, when there is no `opts.clock` (the clock knows when the client left). */
  signal: AbortSignal | undefined,
  opts: SendOptions = {},
): Promise<UpstreamResponse> {
  const headers = outboundHeaders(req.headers);
  let body: string | Buffer | Readable | undefined;
  if (typeof req.body === 'function') body = Readable.from(chunks(req.body()), { objectMode: false });
  else if (isPieces(req.body)) {
    // Pieces have a known length: say it, as for one Buffer (undici checks it against what it writes).
    headers.push('content-length', String(req.body.reduce((n, b) => n + b.length, 0)));
    body = Readable.from(req.body.filter((b) => b.length > 0), { objectMode: false });
  } else body = req.body;
  try {
    const { origin, path } = targetOf(req.url);
    const call: CallOptions = { origin, path, method: req.method as Dispatcher.HttpMethod, headers, body };
    if (opts.headersTimeoutMs !== undefined) call.headersTimeout = opts.headersTimeoutMs;
    if (opts.bodyTimeoutMs !== undefined) call.bodyTimeout = opts.bodyTimeoutMs;
    const clock = opts.clock;
    return await dispatchCall(dispatcher, call, clock ? (abort) => clock.link(abort) : (abort) => linkSignal(signal, abort));
  } catch (err) {
    throw toNetworkError(err, signal, opts.clock);
  }
}

/** Without an attempt clock: the caller's signal stops the call. */
function linkSignal(signal: AbortSignal | undefined, abort: (reason: Error) => void): void {
  if (!signal) return;
  const reason = () => (signal.reason instanceof Error ? signal.reason : new undiciErrors.RequestAbortedError());
  if (signal.aborted) abort(reason());
  else signal.addEventListener('abort', () => abort(reason()), { once: true });
}

function isPieces(body: OutboundBody | undefined): body is readonly Buffer[] {
  return Array.isArray(body);
}

export function toNetworkError(err: unknown, signal?: AbortSignal, clock?: AttemptClock): UpstreamNetworkError {
  if (err instanceof UpstreamNetworkError) return err;
  if (clock?.timedOut) return clock.timeoutError();
  if (signal?.aborted || clock?.clientGone) return new UpstreamNetworkError('aborted', 'client went away');
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
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        body.destroy();
        break;
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    // An error body cut short still says what it managed to say.
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A whole success body, at most `limitBytes` (`limits.upstream-body-mb`). Throws
 * UpstreamNetworkError: `too-large` past the cap, `unreachable`/`timeout` when the upstream
 * closes or stalls after its headers.
 */
export async function readBodyBuffer(
  body: UpstreamResponse['body'],
  limitBytes = Number.POSITIVE_INFINITY,
  explain?: { signal?: AbortSignal; clock?: AttemptClock },
): Promise<Buffer> {
  if (body instanceof UpstreamBody) {
    // One wait for the whole answer, one copy of known length.
    let got: Collected;
    try {
      got = await body.collect(limitBytes);
    } catch (err) {
      throw toNetworkError(err, explain?.signal, explain?.clock);
    }
    if (!got.ended) {
      body.destroy();
      throw tooLarge(limitBytes);
    }
    return Buffer.concat(got.chunks, got.size);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) {
        body.destroy();
        throw tooLarge(limitBytes);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    throw toNetworkError(err, explain?.signal, explain?.clock);
  }
  return Buffer.concat(chunks);
}

export function tooLarge(limitBytes: number): UpstreamNetworkError {
  const mb = Math.round((limitBytes / (1024 * 1024)) * 100) / 100;
  return new UpstreamNetworkError('too-large', `upstream response is larger than limits.upstream-body-mb (${mb} MB); not served`);
}
