import { describe, expect, it } from 'vitest';
import { protocols } from '../../../../../src-main/engine/protocols';
import { describeReadUsage, fixtureBodies } from '../read-usage';

const claude = protocols['claude-messages'];

describeReadUsage(
  claude,
  [...fixtureBodies('claude-messages/responses'), ...fixtureBodies('claude-messages/expected/encode-response')],
  'usage',
  ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'],
);

describe('claude-messages readUsage, field by field', () => {
  it('counts cache reads and writes into the prompt, as Claude reports input_tokens without them (PROTOCOLS.md §3.14)', () => {
    const body = { type: 'message', usage: { input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 } };
    expect(claude.readUsage!(body)).toEqual({ inputTokens: 125, outputTokens: 7, cachedInputTokens: 100, cacheWriteTokens: 20, totalTokens: 132 });
  });

  it('drops each count that is not a non-negative integer and keeps the others', () => {
    const body = { usage: { input_tokens: 5, output_tokens: null, cache_read_input_tokens: -100, cache_creation_input_tokens: '20' } };
    expect(claude.readUsage!(body)).toEqual({ inputTokens: 5, outputTokens: 0, totalTokens: 5 });
  });

  it('has no usage when the body carries none', () => {
    expect(claude.readUsage!({ type: 'message', content: [] })).toBeUndefined();
  });
});
