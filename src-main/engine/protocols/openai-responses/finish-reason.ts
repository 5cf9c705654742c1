import type { IrFinishReason } from '../../ir';

/**
 * The Responses API has no finish_reason: a response is `completed`, `incomplete` (with
 * `incomplete_details.reason`) or `failed`; a function call in the output means tool-calls.
 */
export function decodeStatus(status: string | null | undefined, incompleteReason: string | null | undefined, hasCalls: boolean): IrFinishReason {
  if (status === 'incomplete') {
    if (incompleteReason === 'max_output_tokens') return 'length';
    if (incompleteReason === 'content_filter') return 'content-filter';
    return 'other';
  }
  if (status === 'failed') return 'error';
  return hasCalls ? 'tool-calls' : 'stop';
}

/** IR finish → Responses status + incomplete reason. */
export function encodeStatus(reason: IrFinishReason): { status: 'completed' | 'incomplete'; incomplete?: 'max_output_tokens' | 'content_filter' } {
  if (reason === 'length') return { status: 'incomplete', incomplete: 'max_output_tokens' };
  if (reason === 'content-filter' || reason === 'refusal') return { status: 'incomplete', incomplete: 'content_filter' };
  return { status: 'completed' };
}
