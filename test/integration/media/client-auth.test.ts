import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaWorld, type MediaWorld } from './setup';

/** The media routes sit behind the same client API keys as chat. */
let w: MediaWorld;

beforeAll(async () => {
  w = await startMediaWorld('api-keys:\n  - sy-client-key\n');
});
afterAll(() => w.close());

describe('client keys on media routes', () => {
  it('refuses a request without a key and never calls the upstream', async () => {
    const bad = new OpenAI({ baseURL: `${w.running.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(bad.embeddings.create({ model: 'gemini-embedding-001', input: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(bad.images.generate({ model: 'nano-banana', prompt: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(w.fake.requests).toHaveLength(0);
  });

  it('serves with the key and labels the usage record with it, never forwarding it', async () => {
    const good = new OpenAI({ baseURL: `${w.running.url}/v1`, apiKey: 'sy-client-key', maxRetries: 0 });
    const res = await good.embeddings.create({ model: 'gemini-embedding-001', input: 'x', encoding_format: 'float' });
    expect(res.data).toHaveLength(1);
    expect(w.records[0]!.clientKeyLabel).toBeTruthy();
    expect(JSON.stringify(w.fake.requests[0]!.headers)).not.toContain('sy-client-key');
  });
});
