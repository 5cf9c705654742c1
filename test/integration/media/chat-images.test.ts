import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaWorld, type MediaWorld } from './setup';

/** PROTOCOLS.md §3.3/§3.16: a chat client asking a Gemini image model gets the image as `images[]` data URLs. */
let w: MediaWorld;
let openai: OpenAI;

beforeAll(async () => {
  w = await startMediaWorld();
  openai = new OpenAI({ baseURL: `${w.running.url}/v1`, apiKey: 'k', maxRetries: 0 });
});
afterAll(() => w.close());

describe('chat completions with a Gemini image model', () => {
  it('returns the generated image as a data URL in message.images', async () => {
    const res = await openai.chat.completions.create({ model: 'nano-banana', messages: [{ role: 'user', content: 'draw a dot' }] });
    const message = res.choices[0]!.message as unknown as { content: string | null; images?: Array<{ type: string; image_url: { url: string } }> };
    expect(message.images?.[0]?.type).toBe('image_url');
    expect(message.images?.[0]?.image_url.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(w.fake.requests[0]!.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
  });
});
