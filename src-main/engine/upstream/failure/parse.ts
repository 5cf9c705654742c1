import { isRecord } from './headers';
import { parseRetryAfter, retryAfterMs } from './retry-after';
import { MAX_FAILURE_TEXT, type FailureFacts, type FailureReader, type HeaderBag, type NetworkKind, type QuotaFacts, type ResetHint, type UpstreamFailure } from './types';

export interface ParseFailureInput {
  /** HTTP status of the answer. */
  status: number;
  headers?: HeaderBag;
  /** The error body as read (text), or an already-parsed value from an in-process source. */
  body?: unknown;
  /** Epoch ms the answer arrived. */
  now: number;
  /** The provider's envelope removal (Code Assist `{response: …}`), applied to the parsed JSON. */
  unwrap?: (json: unknown) => unknown;
  /** The provider's own reset-hint / quota reader: asked first. */
  reader?: FailureReader;
  /** Other formats, asked after the generic `retry-after` (compatible gateways relay others' errors). */
  fallbackReaders?: readonly FailureReader[];
}

/** Longest message kept; the classifier and the request log cut shorter. */
const MAX_MESSAGE = 2000;

/** The generic HTTP hints as a reader: `retry-after(-ms)`, `x-ratelimit-reset-*`. */
const genericReader: FailureReader = (f) => {
  const hint = parseRetryAfter(f.headers, f.receivedAt);
  return hint ? { hint } : undefined;
};

/** Text that is JSON becomes its value; anything else (HTML error pages, plain text) stays text. */
function parseJsonText(text: string): unknown {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

function collapse(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, MAX_MESSAGE) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** The upstream's own words: `error.message`, a string `error`, a top-level `message`/`detail`, or the text itself. */
function messageOf(json: unknown, text: string): string | undefined {
  if (json === undefined) return collapse(text);
  if (!isRecord(json)) return typeof json === 'string' ? collapse(json) : undefined;
  const err = json.error;
  if (isRecord(err)) return collapse(err.message);
  if (typeof err === 'string') return collapse(err);
  return collapse(json.message ?? json.detail);
}

/**
 * Parse one failed upstream answer, once: JSON (if it is JSON) with the provider's envelope and a
 * one-element array removed, the message and machine words, google.rpc details, retry-after, the
 * reset hint (provider's own format first) and the quota facts.
 */
export function parseUpstreamFailure(input: ParseFailureInput): UpstreamFailure {
  const headers = input.headers ?? {};
  const raw = input.body;
  let text: string;
  let json: unknown;
  if (raw === undefined || raw === null) text = '';
  else if (typeof raw === 'string') {
    text = raw;
    json = parseJsonText(raw);
  } else if (Buffer.isBuffer(raw)) {
    text = raw.toString('utf8');
    json = parseJsonText(text);
  } else {
    json = raw;
    text = JSON.stringify(raw) ?? '';
  }
  // Google's streaming endpoints answer errors as `[{error: …}]`.
  if (Array.isArray(json) && json.length > 0) json = json[0];
  if (json !== undefined && input.unwrap) json = input.unwrap(json);

  const error = isRecord(json) ? (isRecord(json.error) ? json.error : json) : undefined;
  const details = error && Array.isArray(error.details) ? error.details.filter(isRecord) : [];
  const facts: FailureFacts = { status: input.status, headers, json, error, details, message: messageOf(json, text), receivedAt: input.now };
  const found = readHints(facts, [input.reader, genericReader, ...(input.fallbackReaders ?? []).filter((r) => r !== input.reader)]);

  const failure: UpstreamFailure = {
    ...facts,
    text: text.length > MAX_FAILURE_TEXT ? text.slice(0, MAX_FAILURE_TEXT) : text,
    reasons: details.map((d) => d.reason).filter((r): r is string => typeof r === 'string'),
  };
  const type = str(error?.type);
  const code = str(error?.code);
  const rpcStatus = str(error?.status);
  if (type) failure.type = type;
  if (code) failure.code = code;
  if (rpcStatus) failure.rpcStatus = rpcStatus;
  const after = retryAfterMs(headers, input.now);
  if (after !== undefined) failure.retryAfterMs = after;
  if (found.hint) failure.resetHint = found.hint;
  if (found.quota) failure.quota = found.quota;
  return failure;
}

function readHints(facts: FailureFacts, readers: ReadonlyArray<FailureReader | undefined>): { hint?: ResetHint; quota?: QuotaFacts } {
  let hint: ResetHint | undefined;
  let quota: QuotaFacts | undefined;
  for (const read of readers) {
    if (!read || (hint && quota)) continue;
    let out: ReturnType<FailureReader>;
    try {
      out = read(facts);
    } catch {
      // One provider's odd reading must not cost the failure its other facts.
      continue;
    }
    hint ??= out?.hint;
    quota ??= out?.quota;
  }
  return { ...(hint ? { hint } : {}), ...(quota ? { quota } : {}) };
}

/**
 * A failure known without an HTTP error body: no answer (`network`), or a 2xx whose stream or body
 * turned out to be an error (status, message, code from the stream's own decoder). Nothing to parse.
 */
export function failureOf(input: { status: number; message?: string; code?: string; network?: NetworkKind; now: number }): UpstreamFailure {
  const failure: UpstreamFailure = { status: input.status, headers: {}, text: '', details: [], reasons: [], receivedAt: input.now };
  if (input.network) failure.network = input.network;
  const message = collapse(input.message);
  if (message) failure.message = message;
  if (input.code) failure.code = input.code;
  return failure;
}
