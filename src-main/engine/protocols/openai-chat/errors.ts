import type { UpstreamErrorBody, WireError } from '../protocol';
import { errorBodySchema } from './schema';
import { isRecord } from './json';

type Kind = NonNullable<WireError['kind']>;

/** OpenAI `error.type` per neutral kind (PROTOCOLS.md §2.3). */
const TYPE_BY_KIND: Record<Kind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  upstream: 'server_error',
  timeout: 'timeout_error',
  server: 'server_error',
};

/**
 * Default `error.code` per kind when the error names none. The reference system derives it
 * from the status alone, which labelled every 403 `insufficient_quota` (SDKs read that as a
 * billing problem) and every 502/504 `internal_server_error`; the kind says what happened.
 */
const CODE_BY_KIND: Record<Kind, string | null> = {
  invalid_request: null,
  authentication: 'invalid_api_key',
  permission: 'permission_denied',
  not_found: 'model_not_found',
  rate_limit: 'rate_limit_exceeded',
  overloaded: 'service_unavailable',
  upstream: 'upstream_error',
  timeout: 'timeout',
  server: 'internal_server_error',
};

export function kindForStatus(status: number): Kind {
  if (status === 400 || status === 413 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 502) return 'upstream';
  return 'server';
}

const KIND_BY_TYPE: Record<string, Kind> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  insufficient_quota: 'rate_limit',
  overloaded_error: 'overloaded',
  server_error: 'server',
  timeout_error: 'timeout',
};

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null; [k: string]: unknown };
}

/** `{error:{message,type,param,code}}`, the shape the OpenAI SDKs turn into APIError. */
export function encodeError(err: WireError): OpenAIErrorBody {
  const { param, ...rest } = err.details ?? {};
  // Extra details come first so they can never override the fields SDKs read.
  return {
    error: {
      ...rest,
      message: err.message,
      type: TYPE_BY_KIND[err.kind ?? kindForStatus(err.status)],
      param: typeof param === 'string' ? param : null,
      code: err.code ?? CODE_BY_KIND[err.kind ?? kindForStatus(err.status)],
    },
  };
}

/** Chat streams report a late failure as a data line with an `error` object, then `[DONE]`. */
export function encodeStreamError(err: WireError): string {
  return `data: ${JSON.stringify(encodeError(err))}\n\ndata: [DONE]\n\n`;
}

/**
 * Upstream error body → neutral error. Accepts the OpenAI shape, the array wrapper some
 * Gemini-compatible gateways send, `{message}` bodies and plain text, keeping the upstream's words.
 */
export function decodeError(failure: UpstreamErrorBody): WireError {
  const { status } = failure;
  let value = failure.json ?? failure.text;
  if (Array.isArray(value) && value.length) value = value[0];
  const parsed = errorBodySchema.safeParse(value);
  if (parsed.success) {
    const e = parsed.data.error;
    const out: WireError = {
      status,
      message: e.message || `upstream error ${status}`,
      kind: (e.type && KIND_BY_TYPE[e.type]) || kindForStatus(status),
    };
    const code = e.code ?? e.type;
    if (code != null) out.code = String(code);
    if (e.param) out.details = { param: e.param };
    return out;
  }
  if (isRecord(value) && typeof value.message === 'string') return { status, message: value.message, kind: kindForStatus(status) };
  if (isRecord(value) && typeof value.error === 'string') return { status, message: value.error, kind: kindForStatus(status) };
  const text = typeof value === 'string' && value.trim() ? value.trim().slice(0, 2000) : `upstream error ${status}`;
  return { status, message: text, kind: kindForStatus(status) };
}

/** Status for an error met inside a stream, from its type/code words. */
export function statusForStreamError(type?: string | null, code?: string | number | null): number {
  const words = `${type ?? ''} ${code ?? ''}`;
  if (/rate_limit|quota|overloaded|resource_exhausted/i.test(words)) return 429;
  if (/invalid_request|context_length|bad_request/i.test(words)) return 400;
  if (/authentication|invalid_api_key/i.test(words)) return 401;
  return 500;
}
