import type { UpstreamErrorBody, WireError } from '../protocol';
import { decodeError as decodeOpenAIError, encodeError, kindForStatus, statusForStreamError } from '../openai-chat/errors';
import { newItemId } from './ids';
import { responseObject } from './encode-response';

/** HTTP errors use the same `{error:{message,type,param,code}}` shape as Chat Completions. */
export { encodeError, kindForStatus, statusForStreamError };

export function decodeError(failure: UpstreamErrorBody): WireError {
  return decodeOpenAIError(failure);
}

/** The `code` word a Responses stream uses for a failure. */
export function streamErrorCode(err: { status: number; code?: string }): string {
  if (err.code) return err.code;
  if (err.status === 429) return 'rate_limit_exceeded';
  if (err.status === 400) return 'invalid_request';
  return 'server_error';
}

/**
 * A failure after the stream started, without the encoder's state (passthrough relay): an
 * `error` event and a `response.failed` so SDK stream helpers end with a failed response.
 */
export function encodeStreamError(err: WireError): string {
  const code = streamErrorCode(err);
  const error = { type: 'error', code, message: err.message, param: null, sequence_number: 0 };
  const failed = {
    type: 'response.failed',
    sequence_number: 1,
    response: responseObject({ id: newItemId('resp'), createdAt: Math.floor(Date.now() / 1000), model: '', status: 'failed', output: [], error: { code, message: err.message } }),
  };
  return `event: error\ndata: ${JSON.stringify(error)}\n\nevent: response.failed\ndata: ${JSON.stringify(failed)}\n\n`;
}
