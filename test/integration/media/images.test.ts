import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makePng, sha256 } from '../../fakes/upstreams/media-upstream';
import { startMediaWorld, type MediaWorld } from './setup';

let w: MediaWorld;
let openai: OpenAI;

beforeAll(async () => {
  w = await startMediaWorld();
  openai = new OpenAI({ baseURL: `${w.running.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(() => w.close());
beforeEach(() => {
  w.fake.requests.length = 0;
  w.records.length = 0;
  w.fake.refuseImages = false;
});

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('POST /v1/images/generations → Gemini image model', () => {
  it('asks for IMAGE output with the aspect ratio of the size, once per image, and returns b64_json', async () => {
    const res = await openai.images.generate({ model: 'nano-banana', prompt: 'a lighthouse at dusk', n: 2, size: '1792x1024', response_format: 'b64_json' });
    expect(w.fake.requests).toHaveLength(2);
    for (const got of w.fake.requests) {
      expect(got.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
      expect(got.json).toEqual({
        contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dusk' }] }],
        generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9' } },
      });
    }
    expect(res.data).toHaveLength(2);
    const images = res.data!.map((d) => Buffer.from(d.b64_json!, 'base64'));
    for (const img of images) expect(img.subarray(0, 8)).toEqual(PNG_SIG);
    expect(images[0]!.equals(images[1]!)).toBe(false);
    expect(res.usage).toMatchObject({ input_tokens: 24, output_tokens: 2580, total_tokens: 2604 });
    expect(w.records).toMatchObject([{ operation: 'image', status: 200, provider: 'gemini-api', usage: { inputTokens: 24, outputTokens: 2580 } }]);
  });

  it('returns data URLs for response_format url', async () => {
    const res = await openai.images.generate({ model: 'nano-banana', prompt: 'a fox', response_format: 'url' });
    expect(res.data![0]!.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(w.fake.requests[0]!.json).toMatchObject({ generationConfig: { responseModalities: ['IMAGE'] } });
    expect((w.fake.requests[0]!.json!.generationConfig as Record<string, unknown>).imageConfig).toBeUndefined();
  });

  it('refuses an unsupported size before calling anyone', async () => {
    const err = await openai.images.generate({ model: 'nano-banana', prompt: 'x', size: '256x4096' as '256x256' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/size "256x4096" is not supported/);
    expect(w.fake.requests).toHaveLength(0);
  });

  it('reports a model that drew nothing as a 400 with its reason', async () => {
    w.fake.refuseImages = true;
    const err = await openai.images.generate({ model: 'nano-banana', prompt: 'something forbidden' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/IMAGE_SAFETY.*I cannot draw that/);
  });

  it('validates n and prompt', async () => {
    await expect(openai.images.generate({ model: 'nano-banana', prompt: '' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(openai.images.generate({ model: 'nano-banana', prompt: 'x', n: 11 })).rejects.toThrow(/at most 10/);
  });
});

describe('POST /v1/images/generations → OpenAI-compatible (passthrough)', () => {
  it('forwards the request with the upstream model and returns its answer', async () => {
    const res = await openai.images.generate({ model: 'gpt-image-1', prompt: 'a cube', n: 3, size: '1024x1024', quality: 'high' });
    const got = w.fake.requests[0]!;
    expect(got.path).toBe('/v1/images/generations');
    expect(got.json).toEqual({ model: 'gpt-image-1', prompt: 'a cube', n: 3, size: '1024x1024', quality: 'high' });
    expect(res.data).toHaveLength(3);
    expect(w.records[0]).toMatchObject({ operation: 'image', provider: 'openai-compatibility', usage: { inputTokens: 5, outputTokens: 100 } });
  });
});

describe('POST /v1/images/edits (multipart)', () => {
  const red = makePng(4, 4, [255, 0, 0]);
  const blue = makePng(3, 5, [0, 0, 255]);
  const mask = makePng(4, 4, [0, 0, 0]);

  it('sends every uploaded image to Gemini as an inline part, checked by its bytes', async () => {
    const res = await openai.images.edit({
      model: 'nano-banana',
      prompt: 'put them side by side',
      image: [await toFile(red, 'red.png', { type: 'image/png' }), await toFile(blue, 'blue.bin', { type: 'application/octet-stream' })],
      mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
      size: '1024x1536',
    });
    expect(w.fake.requests).toHaveLength(1);
    const got = w.fake.requests[0]!;
    expect(got.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    // The second file was declared octet-stream; its magic bytes say PNG and that is what Gemini is told.
    expect(got.inline).toEqual([
      { mimeType: 'image/png', base64Length: red.toString('base64').length, sha256: sha256(red) },
      { mimeType: 'image/png', base64Length: blue.toString('base64').length, sha256: sha256(blue) },
      { mimeType: 'image/png', base64Length: mask.toString('base64').length, sha256: sha256(mask) },
    ]);
    const parts = (got.json!.contents as Array<{ parts: Array<{ text?: string }> }>)[0]!.parts;
    expect(parts.at(-1)).toEqual({ text: 'put them side by side' });
    expect(parts.at(-2)!.text).toMatch(/mask/);
    expect(got.json!.generationConfig).toEqual({ responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '2:3' } });
    expect(Buffer.from(res.data![0]!.b64_json!, 'base64').subarray(0, 8)).toEqual(PNG_SIG);
    expect(w.records[0]).toMatchObject({ operation: 'image', status: 200 });
  });

  it('rebuilds the multipart body for an OpenAI-compatible upstream', async () => {
    await openai.images.edit({ model: 'gpt-image-1', prompt: 'make it blue', image: await toFile(red, 'red.png', { type: 'image/png' }) });
    const got = w.fake.requests[0]!;
    expect(got.path).toBe('/v1/images/edits');
    expect(got.headers.authorization).toBe('Bearer sk-upstream-openai');
    expect(got.fields).toMatchObject({ model: 'gpt-image-1', prompt: 'make it blue' });
    expect(got.files).toEqual([{ field: 'image', filename: 'red.png', mimeType: 'image/png', size: red.length, sha256: sha256(red) }]);
  });

  it('refuses a file that is not an image, whatever its declared type', async () => {
    const err = await openai.images
      .edit({ model: 'nano-banana', prompt: 'x', image: await toFile(Buffer.from('just some text, not a picture'), 'fake.png', { type: 'image/png' }) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/fake\.png.*declared image\/png.*not a PNG, JPEG, GIF or WebP/);
    expect(w.fake.requests).toHaveLength(0);
  });

  it('refuses a request without an image, or not multipart', async () => {
    const form = new FormData();
    form.set('model', 'nano-banana');
    form.set('prompt', 'x');
    const r1 = await fetch(`${w.running.url}/v1/images/edits`, { method: 'POST', body: form });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { error: { message: string } }).error.message).toMatch(/No image/);
    const r2 = await fetch(`${w.running.url}/v1/images/edits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { error: { message: string } }).error.message).toMatch(/multipart\/form-data/);
  });
});
