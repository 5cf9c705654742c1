import type { UpstreamErrorBody, WireError } from '../protocol';
import { errorBodySchema } from './schema';
import { isRecord } from './json';

type Kind = NonNullable<WireError['kind']>;

const TYPE_BY_KIND: Record<Kind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'overloaded_error',
  upstream: 'api_error',
  timeout: 'timeout_error',
  server: 'api_error',
};

const KIND_BY_TYPE: Record<string, Kind> = {
  invalid_request_error: 'invalid_request',
  request_too_large: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
  api_error: 'server',
};

export function kindForStatus(status: number): Kind {
  if (status === 400 || status === 413 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 504 || status === 408) return 'timeout';
  if (status === 502) return 'upstream';
  return 'server';
}

/** Claude's error word for a neutral error: explicit kind first, else derived from the status. */
export function claudeErrorType(err: WireError): string {
  if (err.code && err.code in KIND_BY_TYPE) return err.code;
  return TYPE_BY_KIND[err.kind ?? kindForStatus(err.status)];
}

/** `{type:"error", error:{type, message}}`, the shape the Anthropic SDK parses. */
export function encodeError(err: WireError): unknown {
  return { type: 'error', error: { ...err.details, type: claudeErrorType(err), message: err.message } };
}

export function encodeStreamError(err: WireError): string {
  return `event: error\ndata: ${JSON.stringify(encodeError(err))}\n\n`;
}

/**
 * Upstream error body → neutral error. Accepts the Claude shape, OpenAI-style gateways
 * (`{error:{message,type,code}}`) and plain text, keeping the upstream's words.
 */
export function decodeError(failure: UpstreamErrorBody): WireError {
  const { status } = failure;
  const value = failure.json ?? failure.text;
  const parsed = errorBodySchema.safeParse(value);
  if (parsed.success) {
    const type = parsed.data.error.type;
    return {
      status,
      message: parsed.data.error.message ?? `upstream error ${status}`,
      kind: (type && KIND_BY_TYPE[type]) || kindForStatus(status),
      code: type,
    };
  }
  if (isRecord(value)) {
    const message = typeof value.error === 'string' ? value.error : typeof value.message === 'string' ? value.message : undefined;
    if (message) return { status, message, kind: kindForStatus(status) };
  }
  const text = typeof value === 'string' && value.trim() ? value.trim().slice(0, 2000) : `upstream error ${status}`;
  return { status, message: text, kind: kindForStatus(status) };
}
