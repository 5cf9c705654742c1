import type { IrRequest, IrResponse, IrStreamPart, IrUsage } from '../ir';
import type { SseEvent } from '../sse/types';
import type { protocols } from './index';
import type { ProtocolRoute } from './routes';

/** The registered wire formats: the keys of the registry in `index.ts` (plus the Code Assist envelope, which wraps `gemini`). */
export type ProtocolId = keyof typeof protocols;

/** A failure expressed neutrally; each protocol renders it in its own error shape. */
export interface WireError {
  status: number;
  message: string;
  /** Neutral class; protocols map it to their own `type` / `status` words. */
  kind?:
    | 'invalid_request'
    | 'authentication'
    | 'permission'
    | 'not_found'
    | 'rate_limit'
    | 'overloaded'
    | 'upstream'
    | 'timeout'
    | 'server';
  /** Machine code (e.g. `model_cooldown`, `invalid_api_key`). */
  code?: string;
  /** Extra fields merged into the error object (e.g. reset_seconds). */
  details?: Record<string, unknown>;
}

/** Thrown by decoders for bad client input; becomes a 400 in the caller's format. */
export class InvalidRequestError extends Error {
  readonly status = 400;
  constructor(message: string, readonly param?: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** Incremental wire-events → IR parts. One instance per upstream response. */
export interface StreamDecoder {
  push(event: SseEvent): IrStreamPart[];
  /** Upstream ended; flush whatever closes the stream (a missing finish becomes one). */
  end(): IrStreamPart[];
}

/** Incremental IR parts → SSE text. One instance per client response. */
export interface StreamEncoder {
  push(part: IrStreamPart): string;
  /** Called once after the last part; returns the format's terminator if not yet written. */
  end(): string;
}

export interface EncodeContext {
  /** Model name the upstream must see (after alias/prefix resolution). */
  upstreamModel: string;
  stream: boolean;
}

export interface ResponseContext {
  /** Model name the client asked for (shown back to it). */
  clientModel: string;
  /** Original tool names by sanitized name, when encode-request had to rename them. */
  toolNames?: Map<string, string>;
}

export interface CountTokensCodec {
  decodeRequest(body: unknown, where: { model?: string }): IrRequest;
  encodeResponse(inputTokens: number): unknown;
  encodeRequest(req: IrRequest, ctx: { upstreamModel: string }): Record<string, unknown>;
  decodeResponse(body: unknown): number;
}

/**
 * A failed upstream answer as `decodeError` reads it: the status, the body's JSON (already parsed,
 * envelope removed) and its text. `UpstreamFailure` (upstream/failure) is one; protocols only map.
 */
export interface UpstreamErrorBody {
  status: number;
  /** Parsed body; undefined when it was not JSON. */
  json?: unknown;
  text: string;
}

export interface Protocol {
  id: ProtocolId;

  // ---- server side (the client speaks this format) ----
  /** Validate and decode a client request body. Throws InvalidRequestError. */
  decodeRequest(body: unknown, where: { model?: string; stream?: boolean }): IrRequest;
  encodeResponse(res: IrResponse, ctx: ResponseContext): unknown;
  createStreamEncoder(ctx: ResponseContext): StreamEncoder;
  encodeError(err: WireError): unknown;
  /** Render an error that happens after the stream started, as this format's error event. */
  encodeStreamError(err: WireError): string;
  /** Content-Type of streamed responses (all four use text/event-stream). */
  streamContentType: string;

  // ---- client side (the upstream speaks this format) ----
  encodeRequest(req: IrRequest, ctx: EncodeContext): { body: unknown; toolNames?: Map<string, string> };
  decodeResponse(body: unknown): IrResponse;
  createStreamDecoder(): StreamDecoder;
  /** Upstream error (parsed once where it arrived) → neutral error (keeps message and code). */
  decodeError(failure: UpstreamErrorBody): WireError;

  /** Token counting endpoint of this format (Claude count_tokens, Gemini countTokens), when it has one. */
  countTokens?: CountTokensCodec;

  /**
   * Same-format passthrough watcher: sees every forwarded event and, at the upstream's end,
   * returns what the client still needs (e.g. a missing `[DONE]` or `response.completed`).
   */
  createPassthroughGuard?(): { push(ev: SseEvent): void; end(): string };

  /** Usage from one upstream stream event without a full decode (passthrough side channel). */
  sniffUsage?(event: SseEvent): IrUsage | undefined;

  /**
   * Usage of a whole non-stream answer (parsed JSON, envelope removed) without decoding the rest:
   * the same numbers as `decodeResponse(json).usage`, counts that are not non-negative integers
   * left out. Never throws. Absent: the pipeline decodes the whole answer for it.
   */
  readUsage?(json: unknown): IrUsage | undefined;

  /**
   * Whether a client body in this format may go unchanged to an upstream of this format
   * (same-format passthrough); false sends it through decode/encode instead. Absent: always.
   */
  canPassThrough?(body: Record<string, unknown>): boolean;

  // ---- what the format serves ----
  /** Its HTTP routes (the server's route table is built from these). */
  routes?: readonly ProtocolRoute[];
  /**
   * Path prefixes (lower-case) whose unmatched requests get their 404 in this format; the
   * longest matching prefix wins, `/` catches the rest.
   */
  errorPaths?: readonly string[];
}
