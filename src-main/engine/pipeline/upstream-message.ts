import type { WireError } from '../protocols/protocol';
import { boundMessage } from './request-record';

/** The upstream's own words for a failure: its decoded message, else the start of its body. */
export function upstreamMessageOf(error: WireError | undefined, rawBody: string): string | undefined {
  return boundMessage(error?.message && !/^upstream error \d+$/.test(error.message) ? error.message : rawBody);
}

/** The first characters of a body that should have been JSON or SSE, for the error message. */
export function bodyPreview(bytes: Buffer | string, max = 120): string {
  const text = (Buffer.isBuffer(bytes) ? bytes.subarray(0, max * 4).toString('utf8') : bytes.slice(0, max * 4)).replace(/\s+/g, ' ').trim();
  if (!text) return 'an empty body';
  return `a body starting with ${JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text)}`;
}
