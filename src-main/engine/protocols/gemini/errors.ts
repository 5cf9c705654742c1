import type { UpstreamErrorBody, WireError } from '../protocol';
import { isRecord } from './json';
import { errorBodySchema } from './schema';

type Kind = NonNullable<WireError['kind']>;

/** google.rpc.Code names Gemini uses in `error.status`. */
export function statusWord(status: number): string {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ABORTED';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'UNIMPLEMENTED';
    case 502:
    case 503:
    case 529:
      return 'UNAVAILABLE';
    case 504:
    case 408:
      return 'DEADLINE_EXCEEDED';
    default:
      return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

const KIND_BY_WORD: Record<string, Kind> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'server',
};

function kindForStatus(status: number): Kind {
  return KIND_BY_WORD[statusWord(status)] ?? (status >= 500 ? 'server' : 'invalid_request');
}

/** `{error:{code, message, status}}`, what @google/genai and gemini-cli parse. */
export function encodeError(err: WireError): unknown {
  return { error: { ...err.details, code: err.status, message: err.message, status: statusWord(err.status) } };
}

/** Gemini has no error event: a mid-stream error is one more `data:` line with the error body. */
export function encodeStreamError(err: WireError): string {
  return `data: ${JSON.stringify(encodeError(err))}\n\n`;
}

/**
 * Upstream error body → neutral error. Accepts the Google shape, its array form (non-SSE stream
 * endpoints answer `[{error:…}]`), the Code Assist wrapper and plain text.
 */
export function decodeError(failure: UpstreamErrorBody): WireError {
  const { status } = failure;
  let value = failure.json ?? failure.text;
  if (Array.isArray(value)) value = value[0];
  if (isRecord(value) && isRecord(value.response) && !value.error) value = value.response;
  const parsed = errorBodySchema.safeParse(value);
  if (parsed.success) {
    const e = parsed.data.error;
    const out: WireError = {
      status,
      message: e.message ?? `upstream error ${status}`,
      kind: (e.status && KIND_BY_WORD[e.status]) || kindForStatus(status),
    };
    if (e.status) out.code = e.status;
    if (e.details) out.details = { details: e.details };
    return out;
  }
  if (isRecord(value)) {
    const message = typeof value.error === 'string' ? value.error : typeof value.message === 'string' ? value.message : undefined;
    if (message) return { status, message, kind: kindForStatus(status) };
  }
  const text = typeof value === 'string' && value.trim() ? value.trim().slice(0, 2000) : `upstream error ${status}`;
  return { status, message: text, kind: kindForStatus(status) };
}
