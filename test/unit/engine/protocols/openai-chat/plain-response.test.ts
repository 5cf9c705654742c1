import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainChatCompletion } from '../../../../../src-main/engine/protocols/openai-chat/plain-response';
import { responseSchema } from '../../../../../src-main/engine/protocols/openai-chat/schema';

/**
 * The hand check of everyday chat completions may only skip the schema where the schema would
 * accept the body unchanged: whatever it accepts, the schema accepts too, with an equal result.
 */

const everyday = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  system_fingerprint: null,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello!', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
};

const toolCalls = {
  id: 'chatcmpl-2',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, finish_reason: 'tool_calls' }],
};

function agrees(body: unknown): void {
  const fast = plainChatCompletion(body);
  const zod = responseSchema.safeParse(body);
  if (fast !== undefined) {
    expect(zod.success).toBe(true);
    expect(fast).toEqual(zod.data);
  }
}

describe('plain chat completions', () => {
  it('takes everyday answers (text, tool calls) as they are', () => {
    expect(plainChatCompletion(everyday)).toBe(everyday);
    expect(plainChatCompletion(toolCalls)).toBe(toolCalls);
    agrees(everyday);
    agrees(toolCalls);
  });

  it('leaves unusual or invalid answers to the schema', () => {
    const odd = [
      { ...everyday, created: '1700000000' },
      { ...everyday, choices: {} },
      { ...everyday, usage: { prompt_tokens: '9' } },
      { ...everyday, choices: [{ index: 0, message: { content: [{ type: 'text', text: 'hi' }] } }] },
      { ...everyday, choices: [{ index: 0, message: { images: [{ image_url: { url: 'data:image/png;base64,AA' } }] } }] },
      { ...toolCalls, choices: [{ index: 0, message: { tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] } }] },
      [],
      null,
      'text',
    ];
    for (const body of odd) expect(plainChatCompletion(body), JSON.stringify(body)).toBeUndefined();
  });

  it('never accepts what the schema refuses or would change (any JSON in the answer fields)', () => {
    const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()));
    fc.assert(
      fc.property(value, value, value, value, value, value, value, (id, created, content, finish, toolId, args, tokens) => {
        const body = {
          id,
          created,
          model: 'm',
          choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content, tool_calls: [{ index: 0, id: toolId, type: 'function', function: { name: 'f', arguments: args } }] } }],
          usage: { prompt_tokens: tokens, completion_tokens: 1, total_tokens: 2 },
        };
        agrees(body);
      }),
      { numRuns: 500 },
    );
  });
});
