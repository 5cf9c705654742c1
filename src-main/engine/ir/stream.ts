import type { IrFinishReason, IrUsage } from './response';

/**
 * The neutral stream. An upstream protocol's stream decoder turns wire events into these parts;
 * the inbound protocol's stream encoder turns them into its own wire events.
 *
 * Ordering guarantees a decoder must keep (encoders rely on them):
 * - `start` comes first, exactly once.
 * - A block (text, reasoning, tool call) is opened by its first delta / `tool-call-start` and
 *   closed implicitly by the next block of another kind or index, or by `finish`.
 * - `finish` comes once, last but for `error`; usage may arrive in `finish` or in a `usage`
 *   part before it (several `usage` parts: the later values win per field).
 * - `error` ends the stream; nothing follows it.
 */
export type IrStreamPart =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  /** Claude thinking signature / Gemini thoughtSignature of the current reasoning block. */
  | { type: 'reasoning-signature'; signature: string }
  | { type: 'reasoning-redacted'; data: string }
  /** A new tool call; `index` counts tool calls in this response from 0. */
  | { type: 'tool-call-start'; index: number; id: string; name: string; thoughtSignature?: string }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'image'; mediaType: string; data: string }
  | { type: 'usage'; usage: IrUsage }
  | {
      type: 'finish';
      reason: IrFinishReason;
      rawReason?: string;
      stopSequence?: string;
      usage?: IrUsage;
    }
  | { type: 'error'; error: IrStreamError };

export interface IrStreamError {
  /** HTTP-like status the error corresponds to (429 for overloaded/rate limit, 500 otherwise). */
  status: number;
  message: string;
  /** Upstream's own error type/code, e.g. `overloaded_error`, `RESOURCE_EXHAUSTED`. */
  code?: string;
}
