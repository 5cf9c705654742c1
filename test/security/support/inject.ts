import { IncomingMessage, ServerResponse, type RequestListener } from 'node:http';
import { Duplex } from 'node:stream';

/**
 * Send a request to a Node request listener (the engine's Express app) without a network:
 * a real IncomingMessage and ServerResponse over an in-memory socket. The app runs exactly as
 * behind a listening server, minus the TCP and HTTP-parser cost, which lets the fuzz run send
 * tens of thousands of bodies in seconds. Resolves with the status and the bytes written.
 */
class MemorySocket extends Duplex {
  readonly chunks: Buffer[] = [];
  remoteAddress = '127.0.0.1';
  remotePort = 40000;
  encrypted = false;
  override _read(): void {}
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  override cork(): void {}
  override uncork(): void {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

export function inject(
  app: RequestListener,
  req: { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; raw: string }> {
  return new Promise((resolve) => {
    const socket = new MemorySocket();
    const msg = new IncomingMessage(socket as never);
    msg.method = req.method;
    msg.url = req.path;
    msg.httpVersion = '1.1';
    msg.httpVersionMajor = 1;
    msg.httpVersionMinor = 1;
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    msg.headers = { host: '127.0.0.1', ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers };
    if (body) msg.push(body);
    msg.push(null);
    // What Node's parser sets at the end of a message; without it the request counts as aborted.
    msg.complete = true;
    const res = new ServerResponse(msg);
    res.assignSocket(socket as never);
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      resolve({ status: res.statusCode, raw: Buffer.concat(socket.chunks).toString('utf8') });
      // Like a client closing its connection: lets per-request listeners and timers go.
      socket.destroy();
    };
    res.once('finish', done);
    res.once('close', done);
    app(msg, res);
  });
}
