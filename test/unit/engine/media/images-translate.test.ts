import { describe, expect, it } from 'vitest';
import { geminiImageRequest, imageConfigForSize, imagesOfGemini, openaiImagesBody, sumGeminiUsage } from '../../../../src-main/engine/media/images-translate';
import { InvalidRequestError } from '../../../../src-main/engine/protocols/protocol';

describe('imageConfigForSize', () => {
  it('maps OpenAI sizes to the nearest Gemini aspect ratio', () => {
    expect(imageConfigForSize('1024x1024')).toEqual({ aspectRatio: '1:1' });
    expect(imageConfigForSize('1792x1024')).toEqual({ aspectRatio: '16:9' });
    expect(imageConfigForSize('1024x1792')).toEqual({ aspectRatio: '9:16' });
    expect(imageConfigForSize('1536x1024')).toEqual({ aspectRatio: '3:2' });
    expect(imageConfigForSize('1024x1536')).toEqual({ aspectRatio: '2:3' });
    expect(imageConfigForSize('auto')).toEqual({});
    expect(imageConfigForSize(undefined)).toEqual({});
  });

  it('asks for 2K/4K only for large sizes', () => {
    expect(imageConfigForSize('2048x2048')).toEqual({ aspectRatio: '1:1', imageSize: '2K' });
    expect(imageConfigForSize('4096x2304')).toEqual({ aspectRatio: '16:9', imageSize: '4K' });
  });

  it('refuses sizes it cannot honour', () => {
    for (const bad of ['big', '1024', '100x5000', '10x10', '1024x1024x3', '9000x9000']) {
      expect(() => imageConfigForSize(bad), bad).toThrow(InvalidRequestError);
    }
  });
});

describe('Gemini image answers', () => {
  const res = {
    candidates: [
      {
        content: {
          parts: [
            { text: 'thinking', thought: true },
            { text: 'Here you go' },
            { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
            { inline_data: { mime_type: 'image/jpeg', data: 'BBBB' } },
          ],
        },
        finishReason: 'STOP',
      },
    ],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1290, totalTokenCount: 1300 },
  };

  it('collects inline images (camel and snake case) and non-thought text', () => {
    expect(imagesOfGemini(res)).toEqual({
      images: [
        { mimeType: 'image/png', data: 'AAAA' },
        { mimeType: 'image/jpeg', data: 'BBBB' },
      ],
      text: 'Here you go',
      finish: 'STOP',
    });
  });

  it('renders b64_json or data URLs, with usage', () => {
    const usage = sumGeminiUsage([res, res]);
    expect(usage).toEqual({ inputTokens: 20, outputTokens: 2580, totalTokens: 2600 });
    const body = openaiImagesBody(imagesOfGemini(res).images, 'url', usage, 1_700_000_000_000);
    expect(body).toEqual({
      created: 1_700_000_000,
      data: [{ url: 'data:image/png;base64,AAAA' }, { url: 'data:image/jpeg;base64,BBBB' }],
      usage: { input_tokens: 20, output_tokens: 2580, total_tokens: 2600 },
    });
    expect(openaiImagesBody([{ mimeType: 'image/png', data: 'AAAA' }], 'b64_json', undefined).data).toEqual([{ b64_json: 'AAAA' }]);
  });

  it('asks for an image only, with imageConfig when a size was given', () => {
    expect(geminiImageRequest([{ text: 'a cat' }], { aspectRatio: '16:9' })).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a cat' }] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9' } },
    });
    expect(geminiImageRequest([{ text: 'a cat' }], {})).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a cat' }] }],
      generationConfig: { responseModalities: ['IMAGE'] },
    });
  });
});
