import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasUsageObject, isPlainChunk } from '../../../../../src-main/engine/protocols/openai-chat/plain-chunk';
import { OpenAIChatStreamDecoder, sniffUsage } from '../../../../../src-main/engine/protocols/openai-chat/decode-stream';
import { chunkSchema } from '../../../../../src-main/engine/protocols/openai-chat/schema';

/**
 * Chat stream chunks of the common shapes skip zod; nothing may change for them: a chunk passes
 * the hand check only if `chunkSchema` accepts it too (so the decoder reads the same values),
 * and every other chunk is still judged by `chunkSchema`.
 */
const wireChunk = (delta: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  system_fingerprint: 'fp_1',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
  ...extra,
});

describe('isPlainChunk: the text chunks of a chat stream, checked without zod', () => {
  it('accepts the role chunk, text and reasoning deltas, the finish chunk and `usage: null`', () => {
    expect(isPlainChunk(wireChunk({ role: 'assistant', content: '', refusal: null }))).toBe(true);
    expect(isPlainChunk(wireChunk({ content: 'Hello' }, { usage: null }))).toBe(true);
    expect(isPlainChunk(wireChunk({ reasoning_content: 'thinking' }))).toBe(true);
    expect(isPlainChunk({ ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })).toBe(true);
  });

  it('leaves tool calls, content parts, images, usage objects and unknown delta fields to the schema', () => {
    expect(isPlainChunk(wireChunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }))).toBe(false);
    expect(isPlainChunk(wireChunk({ content: [{ type: 'text', text: 'a' }] }))).toBe(false);
    expect(isPlainChunk(wireChunk({ images: [] }))).toBe(false);
    expect(isPlainChunk(wireChunk({ audio: { id: 'a' } }))).toBe(false);
    expect(isPlainChunk({ ...wireChunk({}), choices: [], usage: { prompt_tokens: 1 } })).toBe(false);
  });

  it('refuses what the schema refuses (a number id, a string index, a non-string content)', () => {
    for (const bad of [{ ...wireChunk({ content: 'a' }), id: 7 }, { ...wireChunk({}), choices: [{ index: '0', delta: {} }] }, wireChunk({ content: 5 }), { ...wireChunk({}), created: Number.POSITIVE_INFINITY }]) {
      expect(isPlainChunk(bad as Record<string, unknown>)).toBe(false);
      expect(chunkSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('never accepts a chunk the schema rejects (generated chunks)', () => {
    const value = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
    const delta = fc.oneof(fc.constant(null), value, fc.dictionary(fc.constantFrom('role', 'content', 'reasoning', 'reasoning_content', 'refusal', 'tool_calls', 'images', 'extra'), value));
    const chunk = fc.record(
      { id: value, model: value, created: value, usage: value, choices: fc.oneof(value, fc.array(fc.oneof(value, fc.record({ index: value, delta, finish_reason: value }, { requiredKeys: [] })), { maxLength: 3 })) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(chunk, (c) => {
        if (isPlainChunk(c as Record<string, unknown>)) expect(chunkSchema.safeParse(c).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a stream decodes to the same parts whichever way its chunks were checked', () => {
    const events = [wireChunk({ role: 'assistant', content: '' }), wireChunk({ content: 'Hel' }), wireChunk({ reasoning: 'hmm' }), { ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }];
    const decoder = new OpenAIChatStreamDecoder();
    const parts = events.flatMap((e) => decoder.push({ data: JSON.stringify(e) }));
    expect(parts).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-mini', created: 1_700_000_000 },
      { type: 'text-delta', text: 'Hel' },
      { type: 'reasoning-delta', text: 'hmm' },
    ]);
    expect(decoder.end()).toEqual([{ type: 'finish', reason: 'stop', rawReason: 'stop' }]);
  });
});

describe('hasUsageObject: only a usage object is worth parsing in a passthrough stream', () => {
  it('is false for `"usage":null` (every chunk of a stream whose client asked for usage) and for no usage', () => {
    expect(hasUsageObject(JSON.stringify(wireChunk({ content: 'a' }, { usage: null })))).toBe(false);
    expect(hasUsageObject('{"choices":[],"usage" : null}')).toBe(false);
    expect(hasUsageObject(JSON.stringify(wireChunk({ content: '"usage":{' })))).toBe(false);
  });

  it('is true for a usage object, with or without spaces around the colon', () => {
    expect(hasUsageObject('{"choices":[],"usage":{"prompt_tokens":1}}')).toBe(true);
    expect(hasUsageObject('{"choices":[],"usage" :\n {"prompt_tokens":1}}')).toBe(true);
    expect(hasUsageObject('{"note":"usage","usage":{}}')).toBe(true);
  });

  it('sniffUsage still reads the usage chunk and skips the null ones', () => {
    expect(sniffUsage({ data: JSON.stringify(wireChunk({ content: 'a' }, { usage: null })) })).toBeUndefined();
    expect(sniffUsage({ data: JSON.stringify({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } }) })).toEqual({ inputTokens: 9, outputTokens: 3, totalTokens: 12 });
  });
});
