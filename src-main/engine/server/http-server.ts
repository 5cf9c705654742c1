import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Protocol, ProtocolId } from '../protocols';
import { wireForUnmatchedPath } from './route-table';

/** Live client-connection limits (config `client-timeouts`). */
export interface ClientLimits {
  'headers-seconds': number;
  /** Reading the whole request (headers and body); never the response, so long SSE streams live on. */
  'body-seconds': number;
  'keep-alive-seconds': number;
  'max-connections': number;
}

/**
 * Start line plus headers. Node's 16 KB default answered a long Gemini path (model names live
 * there) with an empty 431; past this size the client gets a 414/431 in its own format.
 */
export const MAX_HEADER_BYTES = 128 * 1024;

export interface HttpServerDeps {
  limits: () => ClientLimits;
  protocols: Record<ProtocolId, Protocol>;
}

/** Copy the live limits onto the server (Node reads these per check / per connection). */
function applyLimits(server: http.Server, l: ClientLimits): void {
  const headersMs = Math.round(l['headers-seconds'] * 1000);
  server.headersTimeout = headersMs;
  // Node insists the whole-request timeout is not shorter than the headers timeout.
  server.requestTimeout = Math.max(headersMs, Math.round(l['body-seconds'] * 1000));
  server.keepAliveTimeout = Math.round(l['keep-alive-seconds'] * 1000);
  server.maxConnections = l['max-connections'];
}

interface Refusal {
  status: number;
  message: string;
  /** The request path when the refused bytes still show the start line. */
  path?: string;
}

/** Status and path of a request Node's parser refused before Express saw it. */
function describeRefusal(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): Refusal {
  // rawPacket is the chunk being parsed, not the whole request: the start line may be gone.
  const head = err.rawPacket ? err.rawPacket.toString('latin1', 0, Math.min(err.rawPacket.length, 4096)) : '';
  const path = /^[A-Z]+ (\/[^ \r\n]*)/.exec(head)?.[1];
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const kb = MAX_HEADER_BYTES / 1024;
    if (path !== undefined && !err.rawPacket?.includes('\r\n')) return { status: 414, message: `The request path is longer than ${kb} KB.`, path };
    return { status: 431, message: `The request line and headers are larger than ${kb} KB.`, path };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'The request was not received in time.', path };
  return { status: 400, message: 'The request is not valid HTTP.', path };
}

/**
 * The error body for a refusal: in the caller's format when the path is known; else one body
 * that the OpenAI, Anthropic and Google SDKs all parse as an error of this status.
 */
function refusalBody(r: Refusal, protocols: Record<ProtocolId, Protocol>): unknown {
  const err = { status: r.status, kind: r.status === 408 ? ('timeout' as const) : ('invalid_request' as const), message: r.message };
  if (r.path !== undefined) return protocols[wireForUnmatchedPath(r.path)].encodeError(err);
  const openai = protocols['openai-chat'].encodeError(err) as { error: Record<string, unknown> };
  const gemini = protocols.gemini.encodeError(err) as { error: Record<string, unknown> };
  return { type: 'error', error: { ...openai.error, code: gemini.error.code, status: gemini.error.status } };
}

/** Answer a parser-level refusal on the raw socket, in the caller's wire format, then close. */
function answerClientError(deps: HttpServerDeps, err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || inFlight?.headersSent || !socket.writable) {
    socket.destroy();
    return;
  }
  const r = describeRefusal(err);
  // A request whose body timed out was already routed: its response says how to answer.
  const wire = (inFlight as { locals?: { route?: { spec: { wire: ProtocolId } } } } | undefined)?.locals?.route?.spec.wire;
  const body = JSON.stringify(wire ? deps.protocols[wire].encodeError({ status: r.status, kind: 'timeout', message: r.message }) : refusalBody(r, deps.protocols));
  const reason = http.STATUS_CODES[r.status] ?? 'Bad Request';
  socket.end(
    `HTTP/1.1 ${r.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The client-facing HTTP server: header and whole-request timeouts against slowloris, idle
 * keep-alive closing, a connection cap, and parser errors answered in the caller's format.
 * Limits follow hot reloads (applied to each new connection).
 */
export function createHttpServer(listener: http.RequestListener, deps: HttpServerDeps): http.Server {
  const first = deps.limits();
  // Node looks for expired header/body reads on an interval: often enough for the shortest limit.
  const checkIntervalMs = Math.max(50, Math.min(5_000, (first['headers-seconds'] * 1000) / 2));
  const server = http.createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: Math.round(first['headers-seconds'] * 1000),
      requestTimeout: Math.max(Math.round(first['headers-seconds'] * 1000), Math.round(first['body-seconds'] * 1000)),
      keepAliveTimeout: Math.round(first['keep-alive-seconds'] * 1000),
      connectionsCheckingInterval: checkIntervalMs,
    },
    listener,
  );
  applyLimits(server, first);
  let applied = first;
  server.on('connection', () => {
    const now = deps.limits();
    if (now !== applied) {
      applied = now;
      applyLimits(server, now);
    }
  });
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => answerClientError(deps, err, socket));
  return server;
}
