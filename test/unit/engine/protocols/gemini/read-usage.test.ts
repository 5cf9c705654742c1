import { describe, expect, it } from 'vitest';
import { protocols } from '../../../../../src-main/engine/protocols';
import { describeReadUsage, fixtureBodies } from '../read-usage';

const gemini = protocols.gemini;

describeReadUsage(
  gemini,
  [...fixtureBodies('gemini/responses'), ...fixtureBodies('gemini/expected/encode-response')],
  'usageMetadata',
  ['promptTokenCount', 'candidatesTokenCount', 'totalTokenCount', 'thoughtsTokenCount', 'cachedContentTokenCount'],
);

describe('gemini readUsage, field by field', () => {
  it('adds thoughts to the output, as Gemini counts them apart from the candidates (PROTOCOLS.md §3.14)', () => {
    const body = { candidates: [], usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 10, thoughtsTokenCount: 30, cachedContentTokenCount: 40, totalTokenCount: 90 } };
    expect(gemini.readUsage!(body)).toEqual({ inputTokens: 50, outputTokens: 40, cachedInputTokens: 40, reasoningTokens: 30, totalTokens: 90 });
  });

  it('reads through the Code Assist envelope', () => {
    const body = { response: { candidates: [], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 } } };
    expect(gemini.readUsage!(body)).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 });
  });

  it('drops each count that is not a non-negative integer and keeps the others', () => {
    const body = { usageMetadata: { promptTokenCount: 50, candidatesTokenCount: -1, thoughtsTokenCount: '30', totalTokenCount: 1.5 } };
    expect(gemini.readUsage!(body)).toEqual({ inputTokens: 50, outputTokens: 0, totalTokens: 50 });
  });

  it('has no usage when the body carries none', () => {
    expect(gemini.readUsage!({ candidates: [] })).toBeUndefined();
    expect(gemini.readUsage!({ response: null })).toBeUndefined();
  });
});
