import { describe, expect, it } from 'vitest';
import { encode } from 'gpt-tokenizer/encoding/cl100k_base';
import {
  geminiBatchToOpenai,
  geminiToOpenaiEmbeddings,
  inputTexts,
  openaiToGeminiBatches,
  openaiVectors,
} from '../../../../src-main/engine/media/embeddings-translate';
import { float32Base64 } from '../../../../src-main/engine/media/base64';
import { describeZodError, openaiEmbeddingsRequestSchema } from '../../../../src-main/engine/media/openai-embeddings-schema';

describe('OpenAI embeddings → Gemini batchEmbedContents', () => {
  it('sends the whole batch as one request, with outputDimensionality on every item', () => {
    const [body, more] = openaiToGeminiBatches({ model: 'emb', input: ['a', 'b', 'c'], dimensions: 256 }, 'gemini-embedding-001');
    expect(more).toBeUndefined();
    expect(body!.requests).toHaveLength(3);
    expect(body!.requests[1]).toEqual({ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] }, outputDimensionality: 256 });
  });

  it('splits at Gemini\'s 100-request limit, keeping order', () => {
    const input = Array.from({ length: 250 }, (_, i) => `t${i}`);
    const batches = openaiToGeminiBatches({ model: 'emb', input }, 'm');
    expect(batches.map((b) => b.requests.length)).toEqual([100, 100, 50]);
    expect(batches[2]!.requests[0]!.content.parts[0]!.text).toBe('t200');
  });

  it('decodes token arrays (cl100k) to text, since Gemini only takes text', () => {
    expect(inputTexts(encode('hello world'))).toEqual(['hello world']);
    expect(inputTexts([encode('one'), encode('two')])).toEqual(['one', 'two']);
    expect(inputTexts('single')).toEqual(['single']);
  });

  it('answers in OpenAI shape, as floats or as little-endian float32 base64', () => {
    const floats = geminiToOpenaiEmbeddings([[0.5, 1], [2, 3]], { clientModel: 'my-emb', encoding: 'float', promptTokens: 7 });
    expect(floats).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', embedding: [0.5, 1], index: 0 },
        { object: 'embedding', embedding: [2, 3], index: 1 },
      ],
      model: 'my-emb',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    const b64 = geminiToOpenaiEmbeddings([[0.5, 1]], { clientModel: 'm', encoding: 'base64', promptTokens: 1 });
    expect(b64.data[0]!.embedding).toBe(float32Base64([0.5, 1]));
  });
});

describe('Gemini embed requests → OpenAI-compatible upstream', () => {
  it('joins parts into one text per request and maps outputDimensionality to dimensions', () => {
    const out = geminiBatchToOpenai(
      { requests: [{ content: { parts: [{ text: 'x' }, { text: 'y' }] }, outputDimensionality: 64 }, { content: { parts: [{ text: 'z' }] }, outputDimensionality: 64 }] },
      'text-embedding-3-small',
    );
    expect(out).toEqual({ texts: ['x\ny', 'z'], body: { model: 'text-embedding-3-small', input: ['x\ny', 'z'], encoding_format: 'float', dimensions: 64 } });
  });

  it('refuses a batch mixing dimensions (OpenAI has one per call)', () => {
    const out = geminiBatchToOpenai({ requests: [{ content: { parts: [{ text: 'a' }] }, outputDimensionality: 8 }, { content: { parts: [{ text: 'b' }] } }] }, 'm');
    expect(out).toHaveProperty('error');
  });

  it('reads OpenAI vectors in index order, decoding base64 answers', () => {
    expect(openaiVectors({ data: [{ embedding: float32Base64([3]), index: 1 }, { embedding: [1, 2], index: 0 }] })).toEqual([[1, 2], [3]]);
  });
});

describe('request validation', () => {
  const check = (body: unknown) => {
    const r = openaiEmbeddingsRequestSchema.safeParse(body);
    return r.success ? 'ok' : describeZodError(r.error).message;
  };
  it('accepts strings, string arrays and token arrays', () => {
    expect(check({ model: 'm', input: 'x' })).toBe('ok');
    expect(check({ model: 'm', input: ['x', 'y'], dimensions: 3, encoding_format: 'base64' })).toBe('ok');
    expect(check({ model: 'm', input: [1, 2, 3] })).toBe('ok');
    expect(check({ model: 'm', input: [[1], [2]] })).toBe('ok');
  });
  it('says clearly what is wrong', () => {
    expect(check({ model: 'm', input: '' })).toMatch(/empty string/);
    expect(check({ model: 'm', input: [] })).toMatch(/empty array/);
    expect(check({ model: 'm', input: Array.from({ length: 2049 }, () => 'x') })).toMatch(/at most 2048/);
    expect(check({ input: 'x' })).toMatch(/model/);
    expect(check({ model: 'm', input: 'x', encoding_format: 'int8' })).toMatch(/encoding_format/);
  });
});
