import type { NeutralRequest } from '../scenarios';

/** What any SDK client got, in one neutral shape the matrix asserts on. */
export interface ClientResult {
  ok: true;
  text: string;
  reasoning: string;
  toolCalls: Array<{ id: string; name: string; args: unknown }>;
  /** Normalised: stop | length | tool_calls, or the raw word when it is none of those. */
  finish: string;
  /** The client format's own finish word (finish_reason, stop_reason, status, finishReason). */
  rawFinish: string;
  usage?: { input: number; output: number };
  /** Cached prompt tokens and reasoning tokens, where the client format reports them. */
  usageDetails: { cached?: number; reasoning?: number };
  /** Streams: event / chunk kinds in arrival order (Claude: event types). */
  events: string[];
  /** Claude thinking signatures, Responses encrypted reasoning, Gemini thought signatures. */
  signatures: string[];
}

export interface ClientError {
  ok: false;
  /** HTTP status when the error came before the stream; undefined for in-stream errors. */
  status?: number;
  /** The error body as the SDK parsed it (caller's own error format). */
  body: unknown;
  message: string;
  /** Text the client received before the error. */
  partialText: string;
  /** The error arrived after a 200 stream began. */
  inStream: boolean;
}

export type ClientOutcome = ClientResult | ClientError;

export interface CallOptions {
  /** Called with every text delta as the client receives it. */
  onText?: (delta: string) => void;
  /** Abort the request (a client going away mid-stream). */
  signal?: AbortSignal;
}

export type ClientFormat = 'openai-chat' | 'openai-responses' | 'claude' | 'gemini';

export interface ClientAdapter {
  format: ClientFormat;
  /** A short label for test names: the SDK and the call used. */
  label: string;
  call(baseUrl: string, model: string, req: NeutralRequest, stream: boolean, opts?: CallOptions): Promise<ClientOutcome>;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Fields every SDK's API error carries, read without trusting the class. */
export function sdkError(err: unknown, partialText: string, inStream: boolean): ClientError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { status?: unknown; error?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  return { ok: false, status, body: e.error, message, partialText, inStream };
}

export function emptyResult(): ClientResult {
  return { ok: true, text: '', reasoning: '', toolCalls: [], finish: '', rawFinish: '', events: [], signatures: [], usageDetails: {} };
}
