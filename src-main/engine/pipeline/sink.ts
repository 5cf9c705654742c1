import { ServerResponse } from 'node:http';
import type { Response } from 'express';
import type { Protocol, WireError } from '../protocols/protocol';
import { writeJson } from '../server/json-response';

/**
 * The client side of one request: JSON answers, errors in the caller's format, and a stream
 * with backpressure. `gone` (and `onGone`, and `signal` for callers that want an AbortSignal)
 * tell when the client went away before we finished.
 */
export class ClientSink {
  /** Made on the first read of `signal`: most requests end without anyone asking for one. */
  private abort: AbortController | undefined;
  private started = false;
  firstByteAt?: number;

  constructor(
    /** A client's HTTP response, or a stand-in with Express's `status/type/send` (the Responses WebSocket). */
    private readonly res: ServerResponse,
    private readonly protocol: Protocol,
  ) {
    res.on('close', () => {
      if (!res.writableFinished) this.clientLeft();
    });
  }

  private goneAt = false;
  private goneHooks: Array<() => void> | undefined;

  /** The client went away before the answer was finished. */
  get gone(): boolean {
    return this.goneAt;
  }

  /**
   * Run `fn` once if the client goes away before the answer finished; the returned function
   * cancels it. For the attempt's upstream call: no AbortSignal (an EventTarget) is made per
   * request just to hear this.
   */
  onGone(fn: () => void): () => void {
    (this.goneHooks ??= []).push(fn);
    return () => {
      const hooks = this.goneHooks;
      const i = hooks ? hooks.indexOf(fn) : -1;
      if (i >= 0) hooks!.splice(i, 1);
    };
  }

  private clientLeft(): void {
    this.goneAt = true;
    this.abort?.abort();
    const hooks = this.goneHooks;
    this.goneHooks = undefined;
    if (hooks) for (const fn of hooks) fn();
  }

  get signal(): AbortSignal {
    if (!this.abort) {
      this.abort = new AbortController();
      if (this.goneAt) this.abort.abort();
    }
    return this.abort.signal;
  }

  /** Headers are out: from here on failures must be reported inside the stream. */
  get committed(): boolean {
    return this.started || this.res.headersSent;
  }

  sendJson(status: number, body: unknown): void {
    this.mark();
    const text = Buffer.isBuffer(body) ? body : (JSON.stringify(body) as string | undefined);
    // Head and body in one write, the bytes Express's helpers would send (json-response.ts).
    if (this.res instanceof ServerResponse) writeJson(this.res, status, text);
    else (this.res as Response).status(status).type('application/json').send(text);
  }

  sendError(err: WireError & { retryAfterSeconds?: number }): void {
    if (this.committed) {
      this.writeNow(this.protocol.encodeStreamError(err));
      this.end();
      return;
    }
    if (err.retryAfterSeconds !== undefined) this.res.setHeader('Retry-After', String(Math.max(0, Math.ceil(err.retryAfterSeconds))));
    this.sendJson(err.status, this.protocol.encodeError(err));
  }

  startStream(contentType = 'text/event-stream'): void {
    if (this.started) return;
    this.started = true;
    // The callers write the first event in the same tick: corked until the next tick, the head
    // and that event leave in one write (one packet, one wakeup of the client) instead of two.
    // The head still goes out on the next tick even when no event follows.
    const socket = this.res.socket;
    socket?.cork();
    this.res.writeHead(200, {
      'content-type': contentType.includes('charset') ? contentType : `${contentType}; charset=utf-8`,
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.res.flushHeaders();
    if (socket) process.nextTick(() => socket.uncork());
  }

  /** A non-stream body that goes out as it arrives (passthrough of a large JSON answer). */
  startBody(status: number, contentType: string): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(status, { 'content-type': contentType });
  }

  /** Cut the connection: a body that broke after bytes went out must not look complete. */
  destroy(): void {
    if (!this.res.writableEnded) this.res.destroy();
  }

  /** Write and wait for the socket to drain when its buffer is full (backpressure). */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (chunk.length === 0 || this.goneAt) return;
    this.mark();
    if (!this.res.write(chunk)) await waitDrain(this.res, this);
  }

  private writeNow(chunk: string): void {
    if (chunk && !this.res.writableEnded) this.res.write(chunk);
  }

  end(chunk?: string): void {
    if (this.res.writableEnded) return;
    if (chunk) this.res.end(chunk);
    else this.res.end();
  }

  private mark(): void {
    this.firstByteAt ??= performance.now();
  }
}

function waitDrain(res: ServerResponse, client: Pick<ClientSink, 'onGone'>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      forget();
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
    const forget = client.onGone(done);
  });
}
