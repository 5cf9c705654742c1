import type { IncomingHttpHeaders } from 'node:http';
import { finished } from 'node:stream/promises';
import type { Response } from 'express';
import type { RawData, WebSocket } from 'ws';

/** WebSocket readyState values (the `ws` module itself loads with the first upgrade). */
const CONNECTING = 0;
const OPEN = 1;
import type { Logger } from '../../log/logger';
import { safeJsonParse, type Protocol, type WireError } from '../../protocols';
import { runGenerate, type PipelineDeps } from '../../pipeline/generate';
import { ClientSink } from '../../pipeline/sink';
import { ConversationHistory } from './history';
import { errorEvent, isWireError, parseClientMessage, warmupEvents, type CreateRequest } from './messages';
import { outputOf, SocketResponse } from './socket-response';

export interface SessionLimits {
  /** `response.create` messages waiting behind the running one; more are refused. */
  maxQueued: number;
  /** Responses each connection remembers for `previous_response_id`. */
  maxResponses: number;
  /** Largest rebuilt conversation (JSON bytes): the HTTP body limit. */
  maxBytes: () => number;
}

/** Starts a periodic tick and returns its stop function (injected so tests need no clock). */
export type Ticker = (tick: () => void) => () => void;

export interface SessionDeps {
  pipeline: () => PipelineDeps;
  protocol: Protocol;
  logger: Logger;
  limits: SessionLimits;
  /** Liveness pings: a peer that answered none since the last tick is cut off. */
  heartbeat?: Ticker;
}

/** What the upgrade request told us about the client (auth already checked). */
export interface ConnectionContext {
  requestId: string;
  clientKeyLabel?: string;
  /** Upgrade request headers without credentials or WebSocket plumbing (session affinity reads them). */
  headers: IncomingHttpHeaders;
}

/** Above this many bytes waiting in the socket, event delivery waits for the client to read. */
const HIGH_WATER = 1024 * 1024;

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * One Responses WebSocket connection: `response.create` messages run one at a time, in order
 * (a few may wait; more are refused), each through the same pipeline as `POST /v1/responses`
 * with `stream: true`, so any upstream serves it with failover before the first event and usage
 * recorded. The connection keeps its own conversations so `previous_response_id` works with
 * `store: false`, and closing the socket cancels the upstream request.
 */
export class ResponsesSocketSession {
  private readonly history: ConversationHistory;
  private readonly queue: string[] = [];
  private running = false;
  private closed = false;
  private current?: SocketResponse;
  private turns = 0;
  private stopHeartbeat?: () => void;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: ConnectionContext,
    private readonly deps: SessionDeps,
  ) {
    this.history = new ConversationHistory({ maxResponses: deps.limits.maxResponses, maxBytes: deps.limits.maxBytes });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.onClose());
    // Protocol errors (an oversized message, a bad frame): ws closes the socket itself.
    ws.on('error', (err) => deps.logger.debug('responses websocket error', { requestId: ctx.requestId, error: err.message }));
    // A peer that vanished without a FIN would otherwise hold its history until TCP gives up.
    let alive = true;
    const seen = () => (alive = true);
    ws.on('pong', seen);
    ws.on('message', seen);
    this.stopHeartbeat = deps.heartbeat?.(() => {
      if (!alive) {
        deps.logger.debug('responses websocket peer stopped answering pings', { requestId: ctx.requestId });
        this.onClose();
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    });
  }

  /** Server shutdown: stop the running response and say goodbye. */
  close(code = 1001, reason = 'server shutting down'): void {
    this.onClose();
    if (this.ws.readyState === OPEN || this.ws.readyState === CONNECTING) this.ws.close(code, reason);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    if (isBinary) {
      this.sendEvent(errorEvent({ status: 400, kind: 'invalid_request', message: 'Binary messages are not supported; send response.create as JSON text.' }));
      return;
    }
    const waiting = this.queue.length + (this.running ? 1 : 0);
    if (waiting > this.deps.limits.maxQueued) {
      this.sendEvent(
        errorEvent({
          status: 400,
          kind: 'invalid_request',
          code: 'response_already_in_flight',
          message: 'Too many response.create messages are waiting on this connection; send the next one after response.completed.',
        }),
      );
      return;
    }
    this.queue.push(rawText(data));
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let text = this.queue.shift(); text !== undefined && !this.closed; text = this.queue.shift()) {
        await this.handle(text).catch((err: unknown) => {
          this.deps.logger.error('responses websocket turn failed', { requestId: this.ctx.requestId, error: (err as Error).message });
          this.sendEvent(errorEvent({ status: 500, kind: 'server', message: 'Internal error in Switchyard.' }));
        });
      }
    } finally {
      this.running = false;
    }
  }

  private async handle(text: string): Promise<void> {
    const value = safeJsonParse(text);
    const msg = value === undefined ? ({ status: 400, kind: 'invalid_request', message: 'The message is not valid JSON.' } satisfies WireError) : parseClientMessage(value);
    if (isWireError(msg)) return this.sendEvent(errorEvent(msg));
    const rebuilt = this.history.rebuild(msg.previousResponseId, msg.input);
    if ('missing' in rebuilt) {
      return this.sendEvent(
        errorEvent({
          status: 400,
          kind: 'invalid_request',
          code: 'previous_response_not_found',
          message: `Previous response with id '${msg.previousResponseId}' not found on this connection. Send the full input without previous_response_id.`,
          details: { param: 'previous_response_id' },
        }),
      );
    }
    if ('tooLarge' in rebuilt) {
      const mb = Math.round(this.deps.limits.maxBytes() / 1048576);
      return this.sendEvent(
        errorEvent({
          status: 413,
          kind: 'invalid_request',
          code: 'request_too_large',
          message: `The conversation on this connection (${rebuilt.tooLarge} bytes) is larger than the limit of ${mb} MB (config body-limit-mb). Start a new connection with a compacted input.`,
          details: { param: 'input' },
        }),
      );
    }
    if (!msg.generate) return this.warmUp(msg, rebuilt);
    return this.generate(msg, rebuilt);
  }

  /** `generate: false`: no upstream call, but the model must be one we serve, as it would be for a turn. */
  private warmUp(msg: CreateRequest, rebuilt: { items: Record<string, unknown>[]; bytes: number }): void {
    const resolution = this.deps.pipeline().routing.resolve(msg.model, { headers: this.ctx.headers, body: { ...msg.rest, model: msg.model, input: rebuilt.items } });
    if (!resolution || resolution.candidates.length === 0) {
      return this.sendEvent(errorEvent({ status: 404, kind: 'not_found', code: 'model_not_found', message: `The model "${msg.model}" is not served by any configured account.` }));
    }
    const { id, events } = warmupEvents(msg.model);
    for (const ev of events) this.sendEvent(ev);
    this.history.remember(id, rebuilt, []);
  }

  private async generate(msg: CreateRequest, rebuilt: { items: Record<string, unknown>[]; bytes: number }): Promise<void> {
    // The upstream request carries the whole conversation: nothing upstream knows the chain.
    const body: Record<string, unknown> = { ...msg.rest, model: msg.model, input: rebuilt.items, stream: true };
    const out = new SocketResponse({ send: (text) => this.sendText(text) });
    this.current = out;
    // The pipeline's sink is written for an express Response; SocketResponse implements the part it uses.
    const sink = new ClientSink(out as unknown as Response, this.deps.protocol);
    try {
      await runGenerate(
        {
          requestId: `${this.ctx.requestId}.${++this.turns}`,
          inbound: this.deps.protocol,
          sink,
          rawBody: Buffer.from(JSON.stringify(body)),
          body,
          model: msg.model,
          bodyModel: msg.model,
          stream: true,
          operation: 'generate',
          clientKeyLabel: this.ctx.clientKeyLabel,
          headers: this.ctx.headers,
          allowPassthrough: true,
        },
        this.deps.pipeline(),
      );
    } catch (err) {
      this.deps.logger.error('responses websocket request failed', { requestId: this.ctx.requestId, error: (err as Error).message });
      if (!out.destroyed) sink.sendError({ status: 500, kind: 'server', message: 'Internal error in Switchyard.' });
    }
    if (!out.writableEnded && !out.destroyed) out.end();
    await finished(out).catch(() => undefined);
    this.current = undefined;
    const o = out.outcome;
    if ((o.terminal === 'completed' || o.terminal === 'incomplete') && o.responseId) this.history.remember(o.responseId, rebuilt, outputOf(o));
  }

  private sendEvent(ev: Record<string, unknown>): void {
    void this.sendText(JSON.stringify(ev));
  }

  /** Send one text message; wait for the client to read only when a lot is already queued. */
  private sendText(text: string): Promise<void> {
    if (this.ws.readyState !== OPEN) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.send(text, () => resolve());
      if (this.ws.bufferedAmount < HIGH_WATER) resolve();
    });
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopHeartbeat?.();
    this.queue.length = 0;
    // Destroying the response fires `close` on it, and the pipeline's sink aborts the upstream call.
    this.current?.destroy();
    this.history.clear();
  }
}
