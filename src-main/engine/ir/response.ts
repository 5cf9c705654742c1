import type { IrReasoningPart, IrTextPart, IrToolCallPart } from './request';

/**
 * Why generation ended, in neutral terms. Each protocol maps its own values to these
 * (PROTOCOLS.md §3.13) and back.
 */
export type IrFinishReason =
  | 'stop' // natural end or stop sequence
  | 'length' // max tokens
  | 'tool-calls'
  | 'content-filter'
  | 'pause' // Claude pause_turn
  | 'refusal'
  | 'error'
  | 'other';

export interface IrUsage {
  /** All prompt tokens including the cached ones. */
  inputTokens: number;
  outputTokens: number;
  /** Part of inputTokens read from cache. */
  cachedInputTokens?: number;
  /** Part of inputTokens written to cache (Claude cache_creation_input_tokens). */
  cacheWriteTokens?: number;
  /** Part of outputTokens spent on reasoning. */
  reasoningTokens?: number;
  totalTokens?: number;
}

export type IrOutputPart = IrTextPart | IrReasoningPart | IrToolCallPart | IrOutputImagePart;

/** Generated image (Gemini image models). */
export interface IrOutputImagePart {
  type: 'image';
  mediaType: string;
  data: string; // base64
}

export interface IrResponse {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  parts: IrOutputPart[];
  finishReason: IrFinishReason;
  /** The upstream's own value (e.g. `end_turn`, `STOP`), for same-format fidelity. */
  rawFinishReason?: string;
  /** Which stop sequence ended the output, when known. */
  stopSequence?: string;
  usage?: IrUsage;
}
