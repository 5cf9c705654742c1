import { describe, expect, it } from 'vitest';
import { protocols } from '../../../../../src-main/engine/protocols';
import { describeReadUsage, fixtureBodies } from '../read-usage';

const responses = protocols['openai-responses'];

describeReadUsage(
  responses,
  [...fixtureBodies('openai-responses/decode-response', 'input'), ...fixtureBodies('openai-responses/encode-response', 'expected')],
  'usage',
  ['input_tokens', 'output_tokens', 'total_tokens'],
);

describe('openai-responses readUsage, field by field', () => {
  it('maps input/output tokens with their cached and reasoning details (PROTOCOLS.md §3.14)', () => {
    const body = {
      object: 'response',
      usage: { input_tokens: 80, output_tokens: 40, total_tokens: 120, input_tokens_details: { cached_tokens: 64 }, output_tokens_details: { reasoning_tokens: 16 } },
    };
    expect(responses.readUsage!(body)).toEqual({ inputTokens: 80, outputTokens: 40, cachedInputTokens: 64, reasoningTokens: 16, totalTokens: 120 });
  });

  it('drops each count that is not a non-negative integer and keeps the others', () => {
    const body = { usage: { input_tokens: '80', output_tokens: 5, input_tokens_details: null, output_tokens_details: { reasoning_tokens: -2 } } };
    expect(responses.readUsage!(body)).toEqual({ inputTokens: 0, outputTokens: 5, totalTokens: 5 });
  });

  it('has no usage when the body carries none', () => {
    expect(responses.readUsage!({ object: 'response', status: 'in_progress' })).toBeUndefined();
  });
});
