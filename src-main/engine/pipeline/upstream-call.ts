import type { Readable } from 'node:stream';
import { errors as undiciErrors, type Dispatcher } from 'undici';

/**
 * One upstream HTTP call on undici's dispatcher API, without `request()`'s per-call machinery
 * (an AsyncResource, a Readable for the body, an abort listener on a signal): the answer's
 * bytes go into a small queue read as an async iterator, with the same backpressure (the socket
 * pauses while 64 KB wait unread) and the same errors undici would throw.
 */

/** What `request()`'s body Readable buffers before it pauses the socket (its highWaterMark). */
const HIGH_WATER = 64 * 1024;

/** Error of an iterator whose body was destroyed by its reader (a Readable's premature close). */
function prematureClose(): Error {
  const err = new Error('Premature close') as Error & { code: string };
  err.code = 'ERR_STREAM_PREMATURE_CLOSE';
  return err;
}

type Waiter = { resolve: (step: IteratorResult<Buffer>) => void; reject: (err: unknown) => void };

/** An upstream answer's body: async-iterable once, destroyable, readable whole in one step. */
export class UpstreamBody implements AsyncIterableIterator<Buffer> {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | undefined;
  private destroyed = false;
  private waiter: Waiter | undefined;
  /** `collect`: every chunk is kept (no pausing) until the end or `collectLimit` bytes. */
  private collecting: { limit: number; size: number; resolve: (r: Collected) => void; reject: (err: unknown) => void } | undefined;

  constructor(private readonly controller: Dispatcher.DispatchController) {}

  /** @internal From the handler: one chunk of the answer. */
  push(chunk: Buffer): void {
    if (this.destroyed) return;
    const w = this.waiter;
    if (w && this.queue.length === 0) {
      this.waiter = undefined;
      w.resolve({ done: false, value: chunk });
      return;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    const c = this.collecting;
    if (c) {
      c.size += chunk.length;
      if (c.size > c.limit) this.settleCollect(false);
      return;
    }
    if (this.queued >= HIGH_WATER) this.controller.pause();
  }

  /** @internal From the handler: the answer is complete, or failed. */
  finish(err?: Error): void {
    if (this.ended || this.failure) return;
    if (err) this.failure = err;
    else this.ended = true;
    if (this.collecting) {
      if (err) {
        const c = this.collecting;
        this.collecting = undefined;
        c.reject(err);
      } else this.settleCollect(true);
    }
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    if (err) w.reject(err);
    else w.resolve({ done: true, value: undefined });
  }

  /**
   * Wait until the answer ended or more than `limit` bytes arrived (the rest stays readable through
   * the iterator). Whatever had arrived is handed over in order and leaves the queue.
   */
  collect(limit: number): Promise<Collected> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.collecting = { limit, size: this.queued, resolve, reject };
      if (this.ended) this.settleCollect(true);
      else if (this.queued > limit) this.settleCollect(false);
      else this.controller.resume();
    });
  }

  private settleCollect(ended: boolean): void {
    const c = this.collecting!;
    this.collecting = undefined;
    const chunks = this.queue.splice(0);
    const size = this.queued;
    this.queued = 0;
    c.resolve({ chunks, size, ended });
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.destroyed) return Promise.reject(prematureClose());
    if (this.failure) return Promise.reject(this.failure);
    if (this.queue.length > 0) {
      const value = this.queue.shift()!;
      this.queued -= value.length;
      if (this.controller.paused && this.queued < HIGH_WATER) this.controller.resume();
      return Promise.resolve({ done: false, value });
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Leaving a `for await` early closes the body, as it closes a Readable. */
  return(): Promise<IteratorResult<Buffer>> {
    this.destroy();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Stop reading: an answer still arriving is aborted (its connection closed), as undici's body does. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.queue.length = 0;
    this.queued = 0;
    // A read still waiting ends as a Readable's would: premature close.
    const w = this.waiter;
    const c = this.collecting;
    this.waiter = undefined;
    this.collecting = undefined;
    w?.reject(prematureClose());
    c?.reject(prematureClose());
    if (!this.ended && !this.failure) this.controller.abort(new undiciErrors.RequestAbortedError());
  }
}

export interface Collected {
  chunks: Buffer[];
  size: number;
  /** The whole answer is in `chunks`. */
  ended: boolean;
}

export interface CallAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

/** Something that can stop the call: called with undici's controller once the call started. */
export type AbortHook = (abort: (reason: Error) => void) => void;

/** The dispatcher handler of one call: resolves with the status and headers, then feeds the body. */
class CallHandler implements Dispatcher.DispatchHandler {
  private body: UpstreamBody | undefined;
  private settled = false;
  private pendingAbort: Error | undefined;
  controller: Dispatcher.DispatchController | undefined;

  constructor(
    private readonly resolve: (a: CallAnswer) => void,
    private readonly reject: (err: unknown) => void,
    private readonly requestBody: unknown,
  ) {}

  /** Abort the call now, or as soon as it starts. */
  abort(reason: Error): void {
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort ??= reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    // 1xx informational answers are not the answer (request() ignores them too).
    if (statusCode < 200) return;
    this.body = new UpstreamBody(controller);
    this.settled = true;
    this.resolve({ status: statusCode, headers, body: this.body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body?.push(chunk);
  }

  onResponseEnd(): void {
    this.body?.finish();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    const b = this.requestBody as Readable | undefined;
    if (b && typeof b === 'object' && typeof b.destroy === 'function' && typeof b.pipe === 'function') {
      b.on('error', () => undefined);
      b.destroy(err);
    }
    if (!this.settled) {
      this.settled = true;
      this.reject(err);
    } else this.body?.finish(err);
  }
}

export interface CallOptions {
  origin: string;
  path: string;
  method: Dispatcher.HttpMethod;
  /** Flat: name, value, name, value, … */
  headers: string[];
  body?: string | Buffer | Readable;
  headersTimeout?: number;
  bodyTimeout?: number;
}

/**
 * Send one call; resolves once the status and headers are in. `link` receives a function that
 * aborts the call (the attempt's deadline, the client going away).
 */
export function dispatchCall(dispatcher: Dispatcher, opts: CallOptions, link?: AbortHook): Promise<CallAnswer> {
  return new Promise<CallAnswer>((resolve, reject) => {
    const handler = new CallHandler(resolve, reject, opts.body);
    link?.((reason) => handler.abort(reason));
    dispatcher.dispatch(opts, handler);
  });
}
