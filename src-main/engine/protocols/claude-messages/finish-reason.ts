import type { IrFinishReason } from '../../ir';

/** Claude `stop_reason` → neutral (PROTOCOLS.md §3.13). */
export function decodeStopReason(reason: string | null | undefined): IrFinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'pause_turn':
      return 'pause';
    case 'refusal':
      return 'refusal';
    case null:
    case undefined:
      return 'stop';
    default:
      return 'other';
  }
}

/**
 * Neutral → Claude `stop_reason`. A stop sequence is only reported as `stop_sequence` when we
 * know which one matched, because the SDKs read `stop_sequence` next to it. Content filters
 * have no Claude word: the reference system answers `end_turn`, and so do we.
 */
export function encodeStopReason(reason: IrFinishReason, stopSequence?: string): string {
  switch (reason) {
    case 'stop':
      return stopSequence ? 'stop_sequence' : 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'pause':
      return 'pause_turn';
    case 'refusal':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
