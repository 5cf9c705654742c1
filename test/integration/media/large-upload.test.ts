import { Readable } from 'node:stream';
import OpenAI, { toFile } from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng, sha256 } from '../../fakes/upstreams/media-upstream';
import { startMediaWorld, type MediaWorld } from './setup';

/** Uploads near and over `upload-limit-mb` (default 25 MB). */
let w: MediaWorld;
let openai: OpenAI;

beforeAll(async () => {
  w = await startMediaWorld();
  openai = new OpenAI({ baseURL: `${w.running.url}/v1`, apiKey: 'client-key', maxRetries: 0, timeout: 60_000 });
});
afterAll(() => w.close());

describe('large multipart uploads', () => {
  it('streams a 20 MB PNG to Gemini as base64 with every byte intact', async () => {
    const big = makePng(8, 8, [10, 200, 30], 20 * 1024 * 1024);
    w.fake.requests.length = 0;
    const res = await openai.images.edit({ model: 'nano-banana', prompt: 'tidy this up', image: await toFile(big, 'big.png', { type: 'image/png' }) });
    expect(res.data).toHaveLength(1);
    expect(w.fake.requests[0]!.inline).toEqual([{ mimeType: 'image/png', base64Length: Math.ceil(big.length / 3) * 4, sha256: sha256(big) }]);
  }, 60_000);

  it('streams a 20 MB PNG to an OpenAI-compatible upstream as multipart', async () => {
    const big = makePng(8, 8, [10, 200, 30], 20 * 1024 * 1024);
    w.fake.requests.length = 0;
    await openai.images.edit({ model: 'gpt-image-1', prompt: 'tidy', image: await toFile(big, 'big.png', { type: 'image/png' }) });
    expect(w.fake.requests[0]!.files).toEqual([{ field: 'image', filename: 'big.png', mimeType: 'image/png', size: big.length, sha256: sha256(big) }]);
  }, 60_000);

  it('answers 413 in OpenAI shape when the upload is over the limit, naming the setting', async () => {
    const tooBig = makePng(2, 2, [0, 0, 0], 26 * 1024 * 1024);
    w.fake.requests.length = 0;
    const err = await openai.images.edit({ model: 'nano-banana', prompt: 'x', image: await toFile(tooBig, 'huge.png', { type: 'image/png' }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((err as Error).message).toMatch(/upload limit of 25 MB \(config upload-limit-mb\)/);
    expect(w.fake.requests).toHaveLength(0);
  }, 60_000);

  it('enforces the limit on the bytes received when the length is not declared', async () => {
    const tooBig = makePng(2, 2, [0, 0, 0], 26 * 1024 * 1024);
    const boundary = 'xyzzy';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nnano-banana\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="h.png"\r\nContent-Type: image/png\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    async function* body() {
      yield head;
      for (let i = 0; i < tooBig.length; i += 1 << 20) yield tooBig.subarray(i, i + (1 << 20));
      yield tail;
    }
    // Chunked transfer: no content-length to refuse early, the bytes themselves must be counted.
    const r = await request(`${w.running.url}/v1/images/edits`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Readable.from(body()),
    });
    expect(r.statusCode).toBe(413);
    expect(((await r.body.json()) as { error: { message: string } }).error.message).toMatch(/upload-limit-mb/);
  }, 60_000);
});
