import type { ProviderDescriptor, UpstreamCall } from '../providers/provider';
import type { AttemptClock } from '../pipeline/attempt-clock';
import type { PipelineDeps } from '../pipeline/generate';
import { readBodyBuffer, readBodyText, sendUpstream, toNetworkError, type OutboundBody, type UpstreamNetworkError } from '../pipeline/send-upstream';
import { buildUpstreamRequest } from '../pipeline/upstream-request';

/** One upstream call a media job wants made for a candidate. */
export interface MediaCallSpec {
  /** JSON object (protocol-shaped, wrapped by the provider if it needs an envelope) or raw bytes. */
  body: Record<string, unknown> | Buffer;
  /** Replaces the body built by the provider (streamed uploads). */
  stream?: () => Iterable<Buffer> | AsyncIterable<Buffer>;
  /**
   * The body JSON (after the provider's envelope) holds placeholders for uploads: this turns
   * its text into the chunks to send, streaming each upload's base64 in place.
   */
  spliceJson?: (text: string) => Iterable<Buffer>;
  contentType?: string;
  /** Adjust the provider's URL (e.g. …/images/generations → …/images/edits). */
  mapUrl?: (url: string) => string;
}

type Headers = Record<string, string | string[] | undefined>;

export type MediaHttpResult =
  | { kind: 'ok'; status: number; headers: Headers; body: Buffer }
  | { kind: 'http-error'; status: number; headers: Headers; text: string }
  /** `status` when the headers came but the body broke (reset, stall, over the cap). */
  | { kind: 'network'; error: UpstreamNetworkError; status?: number };

/**
 * One media call through the shared builder and sender. The body may be a chunk generator, so
 * an upload's base64 is produced while it is written; answers are single JSON documents, read whole.
 */
export async function callMedia(
  provider: ProviderDescriptor,
  call: UpstreamCall,
  spec: MediaCallSpec,
  deps: Pick<PipelineDeps, 'hostOverrides' | 'dispatchers'>,
  clock: AttemptClock,
  maxBytes: number,
): Promise<MediaHttpResult> {
  const built = buildUpstreamRequest(provider, call, deps.hostOverrides(), spec.mapUrl);
  const headers: Record<string, string> = { ...built.headers, accept: 'application/json' };
  if (spec.contentType) headers['content-type'] = spec.contentType;
  let body: OutboundBody = spec.stream ?? built.body ?? '';
  const splice = spec.spliceJson;
  if (splice && !spec.stream) {
    const text = Buffer.isBuffer(built.body) ? built.body.toString('utf8') : (built.body ?? '');
    body = () => splice(text);
  }
  let status: number | undefined;
  try {
    const res = await sendUpstream({ url: built.url, method: 'POST', headers, body }, deps.dispatchers.get(call.account.proxyUrl), clock.signal, { clock });
    status = res.status;
    if (res.status >= 400) return { kind: 'http-error', status: res.status, headers: res.headers, text: await readBodyText(res.body) };
    return { kind: 'ok', status: res.status, headers: res.headers, body: await readBodyBuffer(res.body, maxBytes, { signal: clock.signal, clock }) };
  } catch (err) {
    const error = toNetworkError(err, clock.signal, clock);
    return status === undefined ? { kind: 'network', error } : { kind: 'network', error, status };
  }
}
