/**
 * The neutral request every wire format decodes into and encodes from.
 * Shaped after what the four formats have in common; anything one format cannot say is
 * either dropped on encode (documented in that protocol's encode-request) or kept in
 * `extensions` keyed by the protocol id so a same-format hop can restore it.
 */

export type IrRole = 'user' | 'assistant' | 'tool';

export interface IrTextPart {
  type: 'text';
  text: string;
}

/** Image or file input. Exactly one of `data` (base64, no data: prefix) or `url` is set. */
export interface IrMediaPart {
  type: 'media';
  mediaType: string; // e.g. image/png, application/pdf
  data?: string;
  url?: string;
  filename?: string;
}

/** Reasoning the model produced earlier; `signature` must round-trip byte-exact (Claude). */
export interface IrReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  /** Claude `redacted_thinking` payload, passed back untouched. */
  redactedData?: string;
}

export interface IrToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** JSON text of the arguments, as the model produced it. */
  arguments: string;
  /** Gemini 3 thought signature attached to a functionCall part. */
  thoughtSignature?: string;
}

export interface IrToolResultPart {
  type: 'tool-result';
  callId: string;
  /** Tool name when the source format carries it (Gemini needs it). */
  name?: string;
  content: Array<IrTextPart | IrMediaPart>;
  isError?: boolean;
}

export type IrPart = IrTextPart | IrMediaPart | IrReasoningPart | IrToolCallPart | IrToolResultPart;

export interface IrMessage {
  role: IrRole;
  parts: IrPart[];
}

export interface IrTool {
  name: string;
  description?: string;
  /** JSON Schema of the parameters object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
}

export type IrToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type IrReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

/**
 * What the client asked of reasoning. `effort` and `budgetTokens` may both be present when the
 * source said both; encoders prefer the form their target speaks natively and derive the other.
 */
export interface IrReasoning {
  enabled: boolean;
  effort?: IrReasoningEffort;
  budgetTokens?: number;
  /** Ask the upstream to return reasoning text (Gemini includeThoughts, Responses summary). */
  includeThoughts?: boolean;
}

export type IrResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; name?: string; schema: Record<string, unknown>; strict?: boolean };

export interface IrRequest {
  /** Model as the client sent it (before routing resolved it). */
  model: string;
  stream: boolean;
  /** System / developer instructions, in order. */
  system: IrTextPart[];
  messages: IrMessage[];
  tools?: IrTool[];
  toolChoice?: IrToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseFormat?: IrResponseFormat;
  reasoning?: IrReasoning;
  /** Caller metadata (user id, session) that some upstreams accept. */
  user?: string;
  /** Format-specific fields with no neutral meaning, keyed by protocol id. */
  extensions?: Record<string, Record<string, unknown>>;
}
