import { describe, expect, it } from 'vitest';
import { protocols } from '../../../../../src-main/engine/protocols';
import { describeReadUsage, fixtureBodies } from '../read-usage';

const chat = protocols['openai-chat'];

describeReadUsage(
  chat,
  [...fixtureBodies('openai-chat/decode-response', 'input'), ...fixtureBodies('openai-chat/encode-response', 'expected')],
  'usage',
  ['prompt_tokens', 'completion_tokens', 'total_tokens'],
);

describe('openai-chat readUsage, field by field', () => {
  it('maps prompt/completion tokens with their cached and reasoning details (PROTOCOLS.md §3.14)', () => {
    const body = {
      choices: [],
      usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 12 } },
    };
    expect(chat.readUsage!(body)).toEqual({ inputTokens: 120, outputTokens: 30, cachedInputTokens: 100, reasoningTokens: 12, totalTokens: 150 });
  });

  it('drops each count that is not a non-negative integer and keeps the others', () => {
    const body = { usage: { prompt_tokens: 10, completion_tokens: -1, total_tokens: '11', prompt_tokens_details: { cached_tokens: 2.5 }, completion_tokens_details: { reasoning_tokens: 4 } } };
    expect(chat.readUsage!(body)).toEqual({ inputTokens: 10, outputTokens: 0, reasoningTokens: 4, totalTokens: 10 });
  });

  it('has no usage when the body carries none (usage missing or null)', () => {
    expect(chat.readUsage!({ choices: [] })).toBeUndefined();
    expect(chat.readUsage!({ usage: null })).toBeUndefined();
  });
});
