import { randomUUID } from 'node:crypto';
import { ServerResponse, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import express, { type Request, type Response, type Router } from 'express';
import type { WebSocketServer } from 'ws';
import type { Logger } from '../../log/logger';
import type { Protocol } from '../../protocols';
import type { PipelineDeps } from '../../pipeline/generate';
import { ResponsesSocketSession, type SessionLimits, type Ticker } from './session';

export interface ResponsesWebSocketDeps {
  pipeline: () => PipelineDeps;
  /** The Responses protocol (errors and stream shapes). */
  protocol: Protocol;
  bodyLimitBytes: () => number;
  logger: Logger;
  limits?: Partial<Omit<SessionLimits, 'maxBytes'>>;
  /** Liveness pings (default every 30 s). */
  heartbeat?: Ticker;
}

const PING_EVERY_MS = 30_000;

/** `ws` loads with the first upgrade, not at engine start (most clients never open a socket). */
let wsServerClass: typeof WebSocketServer | undefined;
async function loadWebSocketServer(): Promise<typeof WebSocketServer> {
  wsServerClass ??= (await import('ws')).WebSocketServer;
  return wsServerClass;
}

function intervalTicker(ms: number): Ticker {
  return (tick) => {
    const t = setInterval(tick, ms);
    t.unref();
    return () => clearInterval(t);
  };
}

/** The server's request listener (the express app, or what wraps it) that authorises every request. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

interface PendingUpgrade {
  socket: Duplex;
  head: Buffer;
}

/** Headers the pipeline may look at: never the client's key, never the WebSocket handshake. */
const DROPPED_HEADERS = new Set([
  'authorization',
  'x-api-key',
  'x-goog-api-key',
  'cookie',
  'upgrade',
  'connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
]);

function pipelineHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !DROPPED_HEADERS.has(k)));
}

/**
 * Responses over WebSocket on `GET /v1/responses` (what Codex opens first with its built-in
 * provider). The upgrade request runs through the same express app as every HTTP request, so
 * the Host/Origin guard, the client key check and the path rules are exactly those of HTTP, and
 * a refusal is a real HTTP status in the Responses error shape. Only this service's route, once
 * reached (that is, authorised), completes the handshake.
 */
export class ResponsesWebSocketService {
  readonly router: Router;
  private readonly pending = new WeakMap<IncomingMessage, PendingUpgrade>();
  private readonly sessions = new Set<ResponsesSocketSession>();

  constructor(private readonly deps: ResponsesWebSocketDeps) {
    this.router = express.Router({ caseSensitive: true, strict: true });
    this.router.get('/v1/responses', (req, res) => this.accept(req, res));
  }

  get connections(): number {
    return this.sessions.size;
  }

  /**
   * Serve WebSocket upgrades on this server. Each upgrade request is handed to the server's own
   * request listener (whatever wraps the app: address rules, limits), as a plain request would be.
   */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade((q, s) => server.emit('request', q, s), req, socket, head));
  }

  /** An `upgrade` event: run the request through `listener`; only the Responses route completes the handshake. */
  handleUpgrade(listener: RequestListener, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    // A response object bound to the raw socket lets the app answer a refusal as plain HTTP.
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.on('finish', () => {
      res.detachSocket(socket as Socket);
      socket.end();
    });
    const protocol = (req.headers.upgrade ?? '').toLowerCase();
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (protocol !== 'websocket' && hasBody) {
      // Node hands an upgrade request over without its body, so it cannot be served as plain
      // HTTP here (e.g. `curl --http2 -d …` on http://): say so rather than report an empty body.
      res.statusCode = 400;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(this.deps.protocol.encodeError({ status: 400, kind: 'invalid_request', message: `Upgrade: ${protocol} is not supported with a request body; send the request without the Upgrade header.` })));
      return;
    }
    // Other upgrade requests without a body (h2c probes by curl) are simply answered over HTTP/1.1.
    this.pending.set(req, { socket, head });
    listener(req, res);
  }

  /** Server shutdown: close every connection (1001) and cancel what runs on it. */
  closeAll(): void {
    for (const s of this.sessions) s.close();
    this.sessions.clear();
  }

  private accept(req: Request, res: Response): void {
    const pending = this.pending.get(req);
    if (!pending) {
      // A plain GET: this route only speaks WebSocket.
      res.status(426).setHeader('upgrade', 'websocket');
      res.json(this.deps.protocol.encodeError({ status: 426, kind: 'invalid_request', message: 'GET /v1/responses is the Responses WebSocket endpoint: open it with an Upgrade: websocket request, or POST /v1/responses for HTTP.' }));
      return;
    }
    this.pending.delete(req);
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    if (upgrade !== 'websocket') {
      res.status(400).json(this.deps.protocol.encodeError({ status: 400, kind: 'invalid_request', message: `Unsupported upgrade "${upgrade}"; only websocket is served here.` }));
      return;
    }
    const { socket, head } = pending;
    res.detachSocket(socket as Socket);
    res.removeAllListeners('finish');
    // The socket stays paused (nobody reads it) until the handshake below.
    if (wsServerClass) this.handshake(wsServerClass, req, res, socket, head);
    else {
      loadWebSocketServer().then(
        (cls) => this.handshake(cls, req, res, socket, head),
        (err: Error) => {
          this.deps.logger.error('responses websocket unavailable', { error: err.message });
          socket.destroy();
        },
      );
    }
  }

  private handshake(WebSocketServerClass: typeof WebSocketServer, req: Request, res: Response, socket: Duplex, head: Buffer): void {
    const ctx = {
      requestId: String(res.locals.requestId ?? randomUUID()),
      clientKeyLabel: res.locals.clientKeyLabel as string | undefined,
      headers: pipelineHeaders(req.headers),
    };
    // One server per handshake so the size limit follows the live config (body-limit-mb).
    const wss = new WebSocketServerClass({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: this.deps.bodyLimitBytes() });
    wss.on('headers', (headers) => headers.push(`x-request-id: ${ctx.requestId}`));
    wss.handleUpgrade(req, socket, head, (ws) => {
      this.deps.logger.debug('responses websocket opened', { requestId: ctx.requestId, client: ctx.clientKeyLabel });
      const session = new ResponsesSocketSession(ws, ctx, {
        pipeline: this.deps.pipeline,
        protocol: this.deps.protocol,
        logger: this.deps.logger,
        heartbeat: this.deps.heartbeat ?? intervalTicker(PING_EVERY_MS),
        limits: {
          maxQueued: this.deps.limits?.maxQueued ?? 4,
          maxResponses: this.deps.limits?.maxResponses ?? 32,
          maxBytes: this.deps.bodyLimitBytes,
        },
      });
      this.sessions.add(session);
      ws.on('close', (code) => {
        this.sessions.delete(session);
        this.deps.logger.debug('responses websocket closed', { requestId: ctx.requestId, code });
      });
    });
  }
}
