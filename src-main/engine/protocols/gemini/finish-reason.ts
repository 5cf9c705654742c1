import type { IrFinishReason } from '../../ir';

const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'LANGUAGE',
]);

/**
 * Gemini `finishReason` → neutral (PROTOCOLS.md §3.13). Gemini says STOP even when it called
 * tools, so the caller passes whether a functionCall was seen.
 */
export function decodeFinishReason(reason: string | undefined, sawToolCall: boolean): IrFinishReason {
  if (sawToolCall && (reason === undefined || reason === 'STOP')) return 'tool-calls';
  if (reason === undefined || reason === 'STOP' || reason === 'FINISH_REASON_UNSPECIFIED') return 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content-filter';
  if (reason === 'MALFORMED_FUNCTION_CALL' || reason === 'UNEXPECTED_TOOL_CALL' || reason === 'MISSING_THOUGHT_SIGNATURE') return 'error';
  return 'other';
}

export function encodeFinishReason(reason: IrFinishReason): string {
  switch (reason) {
    case 'length':
      return 'MAX_TOKENS';
    case 'content-filter':
    case 'refusal':
      return 'SAFETY';
    case 'error':
    case 'other':
      return 'OTHER';
    default:
      return 'STOP'; // stop, tool-calls, pause: Gemini has only STOP for these
  }
}
