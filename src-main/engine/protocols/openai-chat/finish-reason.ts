import type { IrFinishReason } from '../../ir';

/**
 * OpenAI chat `finish_reason` ↔ IR (PROTOCOLS.md §3.13). `function_call` is the pre-tools name
 * of `tool_calls`; `max_tokens` (sic) is what some gateways send for a length stop.
 */
export function decodeFinishReason(raw: string | null | undefined): IrFinishReason {
  switch (raw) {
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    case 'error':
      return 'error';
    default:
      return raw ? 'other' : 'stop';
  }
}

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export function encodeFinishReason(reason: IrFinishReason): ChatFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
    case 'refusal':
      return 'content_filter';
    default:
      // pause, error, other: the client only knows the four words; "stop" is the least surprising.
      return 'stop';
  }
}
