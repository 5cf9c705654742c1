import { z } from 'zod';
import { isRecord, newItemId, protocols, responseObject, type WireError } from '../../protocols';
import type { Item } from './history';

/**
 * A client message of Responses WebSocket mode: `{"type":"response.create", …the body of
 * POST /v1/responses…}`, plus `generate: false` (warm-up: no model output) and
 * `previous_response_id` resolved from this connection's own history. `stream` is implicit.
 * A `response` object holding the body is accepted too (the Realtime-style envelope).
 */
const responseCreate = z.looseObject({
  type: z.literal('response.create'),
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.record(z.string(), z.unknown()))]).optional(),
  previous_response_id: z.string().nullish(),
  generate: z.boolean().optional(),
  background: z.boolean().nullish(),
  response: z.record(z.string(), z.unknown()).optional(),
});

export interface CreateRequest {
  model: string;
  /** This turn's new items (the whole input when there is no previous response). */
  input: Item[];
  previousResponseId?: string;
  generate: boolean;
  /** Every other body field, passed on to the upstream as a POST body would be. */
  rest: Record<string, unknown>;
}

/** Fields that belong to the socket, never to an upstream request body. */
const TRANSPORT_KEYS = new Set(['type', 'generate', 'previous_response_id', 'stream', 'stream_options', 'background', 'response']);

/** A string input is one user message, as the HTTP API reads it. */
function inputItems(input: string | Item[] | undefined): Item[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }];
  return input;
}

/** Validate one text message; returns the request or the error to send back. */
export function parseClientMessage(value: unknown): CreateRequest | WireError {
  if (!isRecord(value)) return { status: 400, kind: 'invalid_request', message: 'Each message must be a JSON object.' };
  if (value.type !== 'response.create') {
    return {
      status: 400,
      kind: 'invalid_request',
      code: 'unknown_event_type',
      message: `Unsupported event type ${JSON.stringify(value.type)}; this socket accepts "response.create".`,
      details: { param: 'type' },
    };
  }
  const envelope = isRecord(value.response) && value.model === undefined ? { ...value.response, type: value.type } : value;
  const parsed = responseCreate.safeParse(envelope);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.join('.') || undefined;
    return { status: 400, kind: 'invalid_request', message: `Invalid response.create: ${param ? `${param}: ` : ''}${issue?.message ?? 'bad shape'}`, details: param ? { param } : undefined };
  }
  const m = parsed.data;
  if (m.background) {
    return { status: 400, kind: 'invalid_request', message: 'background is not supported over WebSocket.', details: { param: 'background' } };
  }
  if (!m.model?.trim()) {
    return { status: 400, kind: 'invalid_request', message: 'The "model" field is required and must be a string.', details: { param: 'model' } };
  }
  const rest = Object.fromEntries(Object.entries(m).filter(([k]) => !TRANSPORT_KEYS.has(k) && k !== 'input'));
  return {
    model: m.model.trim(),
    input: inputItems(m.input as string | Item[] | undefined),
    previousResponseId: m.previous_response_id ?? undefined,
    generate: m.generate !== false,
    rest,
  };
}

export function isWireError(v: unknown): v is WireError {
  return isRecord(v) && typeof v.status === 'number' && typeof v.message === 'string';
}

/**
 * A failure before any event of the response, as Responses WebSocket mode reports it: the HTTP
 * error body wrapped in `{type:"error", status, error}` (clients map `status` to the HTTP status
 * they would have seen; Codex reads `headers` like response headers, e.g. `retry-after`).
 */
export function errorEvent(err: WireError & { retryAfterSeconds?: number }): Record<string, unknown> {
  const ev: Record<string, unknown> = { type: 'error', status: err.status, error: (protocols['openai-responses'].encodeError(err) as { error: unknown }).error };
  if (err.retryAfterSeconds !== undefined) ev.headers = { 'retry-after': String(Math.max(0, Math.ceil(err.retryAfterSeconds))) };
  return ev;
}

/** `{error:{…}}` body of an HTTP error (as the pipeline renders it) → the wrapped error event. */
export function errorEventFromBody(status: number, body: unknown, retryAfter?: string): Record<string, unknown> {
  const error = isRecord(body) && isRecord(body.error) ? body.error : { message: 'Request failed.', type: 'server_error', param: null, code: null };
  const ev: Record<string, unknown> = { type: 'error', status, error };
  if (retryAfter !== undefined) ev.headers = { 'retry-after': retryAfter };
  return ev;
}

/**
 * The answer to a `generate: false` warm-up: a response with no output, created and completed
 * at once. No upstream is called; the id can be chained with `previous_response_id`.
 */
export function warmupEvents(model: string, now = Date.now()): { id: string; events: Array<Record<string, unknown>> } {
  const id = newItemId('resp');
  const createdAt = Math.floor(now / 1000);
  const base = { id, createdAt, model, output: [] };
  return {
    id,
    events: [
      { type: 'response.created', sequence_number: 0, response: responseObject({ ...base, status: 'in_progress' }) },
      { type: 'response.completed', sequence_number: 1, response: responseObject({ ...base, status: 'completed', usage: { inputTokens: 0, outputTokens: 0 } }) },
    ],
  };
}
