import { randomBytes } from 'node:crypto';

/** Ids in OpenAI's own shapes, for responses and calls that came without one. */
export function newCompletionId(): string {
  return `chatcmpl-${randomBytes(12).toString('hex')}`;
}

/**
 * A tool call id for a call that came without one. `seed` ties it to the response so that the
 * same call gets the same id in every chunk and in the follow-up turn.
 */
export function newCallId(seed?: string, index?: number): string {
  if (seed && index !== undefined) return `call_${seed.replace(/[^A-Za-z0-9]/g, '').slice(-16)}_${index}`;
  return `call_${randomBytes(12).toString('hex')}`;
}
