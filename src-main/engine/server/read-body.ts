import type { IncomingMessage } from 'node:http';

/**
 * The lean body reader of the fast path: the bytes of an uncompressed request body under a
 * limit read per request (follows reloads of `body-limit-mb`). It reproduces what Express's
 * raw body parser decides — same errors (status, message, `type`) at the same moments — so a
 * request answers alike on either path; compressed bodies never come here (they go to Express).
 */

/** An error as the body parser raises it; the app's error handler reads `status`, `type`, `message`. */
export class BodyReadError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
  ) {
    super(message);
    this.name = 'BodyReadError';
  }
}

/** What `type-is` calls "has a body": a transfer-encoding, or a numeric content-length. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
}

/** What `on-finished` calls finished: nothing more will ever be read from this request. */
function isFinished(req: IncomingMessage): boolean {
  const socket = req.socket as IncomingMessage['socket'] | null;
  return Boolean((req as IncomingMessage & { upgrade?: boolean }).upgrade || !socket || !socket.readable || (req.complete && !req.readable));
}

/** Read off the rest of the request, then answer (a refused upload must not stall the connection). */
function dump(req: IncomingMessage, then: () => void): void {
  if (isFinished(req)) return then();
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    req.off('end', once);
    req.off('close', once);
    req.off('error', once);
    then();
  };
  req.on('end', once);
  req.on('close', once);
  req.on('error', once);
  req.resume();
}

/**
 * Calls `done(undefined, bytes)` with the whole body (empty when the request has none), or
 * `done(error)` once the rest of a refused body has been read off.
 */
export function readBody(req: IncomingMessage, limit: number, done: (err: BodyReadError | Error | undefined, body?: Buffer) => void): void {
  if (isFinished(req) || !hasBody(req)) return done(undefined, Buffer.alloc(0));
  const declared = req.headers['content-length'];
  const length = declared !== undefined && !Number.isNaN(Number(declared)) ? parseInt(declared, 10) : null;
  // The body parser's order: refuse on the declared length before reading a byte, then read off the body.
  const refuse = (err: Error) => {
    req.pause();
    dump(req, () => done(err));
  };
  if (length !== null && length > limit) {
    process.nextTick(refuse, new BodyReadError(413, 'request entity too large', 'entity.too.large'));
    return;
  }
  if (!req.readable) {
    process.nextTick(() => done(new BodyReadError(500, 'stream is not readable', 'stream.not.readable')));
    return;
  }
  // One copy at most: with a declared length the bytes go straight into one buffer of that size
  // (a body that arrives in one chunk is used as it is); without one, chunks are joined once.
  let first: Buffer | undefined;
  let into: Buffer | undefined;
  let chunks: Buffer[] | undefined;
  let received = 0;
  let complete = false;
  const onData = (chunk: Buffer) => {
    if (complete) return;
    const at = received;
    received += chunk.length;
    if (received > limit) {
      complete = true;
      fail(new BodyReadError(413, 'request entity too large', 'entity.too.large'));
    } else if (at === 0) first = chunk;
    else if (length !== null && received <= length) {
      if (!into) {
        into = Buffer.allocUnsafe(length);
        (first as Buffer).copy(into, 0);
        first = undefined;
      }
      chunk.copy(into, at);
    } else {
      chunks ??= into ? [into.subarray(0, at)] : [first as Buffer];
      into = undefined;
      first = undefined;
      chunks.push(chunk);
    }
  };
  const onEnd = () => {
    if (complete) return;
    complete = true;
    if (length !== null && received !== length) return fail(new BodyReadError(400, 'request size did not match content length', 'request.size.invalid'));
    cleanup();
    done(undefined, chunks ? Buffer.concat(chunks, received) : (into ?? first ?? Buffer.alloc(0)));
  };
  const onError = (err: Error & { status?: number; statusCode?: number }) => {
    if (complete) return;
    complete = true;
    fail(Object.assign(err, { status: err.status ?? err.statusCode ?? 400 }));
  };
  const onAborted = () => {
    if (complete) return;
    complete = true;
    fail(new BodyReadError(400, 'request aborted', 'request.aborted'));
  };
  function fail(err: Error): void {
    cleanup();
    refuse(err);
  }
  function cleanup(): void {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    req.off('aborted', onAborted);
    req.off('close', cleanup);
  }
  req.on('aborted', onAborted);
  req.on('close', cleanup);
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
}
