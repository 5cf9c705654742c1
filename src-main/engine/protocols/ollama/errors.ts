import type { UpstreamErrorBody, WireError } from '../protocol';
import { isRecord } from '../shared/json';

/** Ollama's error body: `{"error": "<message>"}`, with the HTTP status saying the rest. */
export function encodeError(err: WireError): { error: string } {
  return { error: err.message };
}

/** After the stream started an error is one more NDJSON line; Ollama clients throw on it. */
export function encodeStreamError(err: WireError): string {
  return `${JSON.stringify(encodeError(err))}\n`;
}

/** An Ollama server's error body → neutral error. */
export function decodeError(failure: UpstreamErrorBody): WireError {
  const { status, json } = failure;
  const message = isRecord(json) && typeof json.error === 'string' ? json.error : `upstream answered HTTP ${status}`;
  return { status, message };
}
