import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeVector } from '../../fakes/upstreams/media-upstream';
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
});

const f32 = (v: number[]) => Array.from(new Float32Array(v));

describe('POST /v1/embeddings → Gemini (batchEmbedContents)', () => {
  it('sends the whole batch as one request with outputDimensionality, and decodes base64 (SDK default)', async () => {
    const res = await openai.embeddings.create({ model: 'gemini-embedding-001', input: ['alpha', 'beta', 'gamma'], dimensions: 256 });
    expect(w.fake.requests).toHaveLength(1);
    const got = w.fake.requests[0]!;
    expect(got.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(got.headers['x-goog-api-key']).toMatch(/^g-key-/);
    expect(got.headers.authorization).toBeUndefined();
    expect(got.json).toEqual({
      requests: ['alpha', 'beta', 'gamma'].map((text) => ({ model: 'models/gemini-embedding-001', content: { parts: [{ text }] }, outputDimensionality: 256 })),
    });
    expect(res.model).toBe('gemini-embedding-001');
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    // The SDK asked for base64 and decoded it: float32 of the upstream's values.
    expect(res.data[2]!.embedding).toEqual(f32(fakeVector(2, 256)));
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    expect(w.records).toMatchObject([{ operation: 'embed', status: 200, provider: 'gemini-api', upstreamModel: 'gemini-embedding-001', inboundFormat: 'openai-chat' }]);
    expect(w.records[0]!.usage?.inputTokens).toBe(res.usage.prompt_tokens);
  });

  it('splits a large batch at Gemini\'s limit of 100 and answers in input order', async () => {
    const input = Array.from({ length: 250 }, (_, i) => `doc ${i}`);
    const res = await openai.embeddings.create({ model: 'gemini-embedding-001', input, dimensions: 4, encoding_format: 'float' });
    expect(w.fake.requests.map((r) => (r.json!.requests as unknown[]).length).sort()).toEqual([100, 100, 50]);
    expect(res.data).toHaveLength(250);
    expect(res.data.map((d) => d.index)).toEqual(input.map((_, i) => i));
    // The fake numbers vectors within each call: item 150 is the 51st of the second call.
    expect(res.data[150]!.embedding).toEqual(fakeVector(50, 4));
    expect(res.data[249]!.embedding).toEqual(fakeVector(49, 4));
  });

  it('answers floats when asked for floats', async () => {
    const res = await openai.embeddings.create({ model: 'gemini-embedding-001', input: 'one text', encoding_format: 'float' });
    expect(res.data).toEqual([{ object: 'embedding', index: 0, embedding: fakeVector(0, 8) }]);
    expect(w.fake.requests[0]!.json).toEqual({ requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'one text' }] } }] });
  });

  it('reaches Vertex through a prefix, on the Vertex path', async () => {
    const res = await openai.embeddings.create({ model: 'vx/gemini-embedding-001', input: ['x', 'y'], dimensions: 4, encoding_format: 'float' });
    expect(w.fake.requests[0]!.path).toBe('/v1/publishers/google/models/gemini-embedding-001:batchEmbedContents');
    expect(w.fake.requests[0]!.headers['x-goog-api-key']).toBe('v-key');
    expect(res.data[1]!.embedding).toEqual(fakeVector(1, 4));
  });

  it('fails over to the next key when one is rate limited', async () => {
    w.fake.failNext({ status: 429, times: 1, pathIncludes: 'batchEmbedContents', body: { error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } } });
    const res = await openai.embeddings.create({ model: 'gemini-embedding-001', input: ['a'], encoding_format: 'float' });
    expect(res.data).toHaveLength(1);
    const keys = w.fake.requests.map((r) => r.headers['x-goog-api-key']);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    expect(w.records[0]).toMatchObject({ attempts: 2, status: 200 });
  });
});

describe('POST /v1/embeddings → OpenAI-compatible (passthrough)', () => {
  it('forwards the body with the model renamed and returns the upstream answer', async () => {
    const res = await openai.embeddings.create({ model: 'big-emb', input: ['p', 'q'], dimensions: 16 });
    const got = w.fake.requests[0]!;
    expect(got.path).toBe('/v1/embeddings');
    expect(got.headers.authorization).toBe('Bearer sk-upstream-openai');
    expect(got.json).toEqual({ model: 'text-embedding-3-large', input: ['p', 'q'], dimensions: 16, encoding_format: 'base64' });
    expect(res.data[1]!.embedding).toEqual(f32(fakeVector(1, 16)));
    expect(res.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    expect(w.records[0]).toMatchObject({ operation: 'embed', provider: 'openai-compatibility', usage: { inputTokens: 6 } });
  });

  it('passes token-array input through untouched', async () => {
    await openai.embeddings.create({ model: 'text-embedding-3-small', input: [[1, 2, 3], [4, 5]], encoding_format: 'float' });
    expect(w.fake.requests[0]!.json).toMatchObject({ input: [[1, 2, 3], [4, 5]] });
  });
});

describe('bad embeddings input gets a clear 400 in OpenAI error shape', () => {
  const post = async (body: unknown) => {
    const r = await fetch(`${w.running.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as { error: { message: string; type: string } } };
  };

  it.each([
    [{ model: 'gemini-embedding-001', input: '' }, /empty string/],
    [{ model: 'gemini-embedding-001', input: [] }, /empty array/],
    [{ model: 'gemini-embedding-001', input: Array.from({ length: 2049 }, () => 'x') }, /at most 2048/],
    [{ input: 'x' }, /model/],
    [{ model: 'gemini-embedding-001', input: [{ text: 'x' }] }, /input/],
  ])('%#', async (body, message) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('invalid_request_error');
    expect(r.body.error.message).toMatch(message);
    expect(w.fake.requests).toHaveLength(0);
  });

  it('an unknown model is a 404 and a chat-only model a 400', async () => {
    const unknown = await post({ model: 'no-such-model', input: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/no-such-model/);
  });

  it('the SDK surfaces it as a BadRequestError', async () => {
    await expect(openai.embeddings.create({ model: 'gemini-embedding-001', input: '' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('Gemini native embedContent / batchEmbedContents (@google/genai)', () => {
  const genai = () => new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: w.running.url } });

  it('passes a batch through to a Gemini upstream unchanged', async () => {
    const res = await genai().models.embedContent({ model: 'gemini-embedding-001', contents: ['first', 'second'], config: { outputDimensionality: 64 } });
    expect(w.fake.requests).toHaveLength(1);
    const got = w.fake.requests[0]!;
    expect(got.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(got.json).toEqual({
      requests: ['first', 'second'].map((text) => ({ content: { parts: [{ text }], role: 'user' }, outputDimensionality: 64, model: 'models/gemini-embedding-001' })),
    });
    expect(res.embeddings?.map((e) => e.values)).toEqual([fakeVector(0, 64), fakeVector(1, 64)]);
    expect(w.records[0]).toMatchObject({ operation: 'embed', inboundFormat: 'gemini', status: 200 });
  });

  it('renames the per-item model when a prefix picks the account (Gemini checks it against the URL)', async () => {
    const r = await fetch(`${w.running.url}/v1beta/models/vx/gemini-embedding-001:batchEmbedContents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ model: 'models/vx/gemini-embedding-001', content: { parts: [{ text: 'hi' }] }, taskType: 'RETRIEVAL_QUERY' }] }),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ embeddings: [{ values: fakeVector(0, 8) }] });
    expect(w.fake.requests[0]!.path).toBe('/v1/publishers/google/models/gemini-embedding-001:batchEmbedContents');
    expect(w.fake.requests[0]!.json).toEqual({ requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hi' }] }, taskType: 'RETRIEVAL_QUERY' }] });
  });

  it('translates for an OpenAI-compatible upstream', async () => {
    const res = await genai().models.embedContent({ model: 'text-embedding-3-small', contents: ['uno', 'dos'], config: { outputDimensionality: 32 } });
    const got = w.fake.requests[0]!;
    expect(got.path).toBe('/v1/embeddings');
    expect(got.json).toEqual({ model: 'text-embedding-3-small', input: ['uno', 'dos'], encoding_format: 'float', dimensions: 32 });
    expect(res.embeddings?.map((e) => e.values)).toEqual([fakeVector(0, 32), fakeVector(1, 32)]);
  });

  it('serves single :embedContent in both directions', async () => {
    const one = await fetch(`${w.running.url}/v1beta/models/gemini-embedding-001:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: { parts: [{ text: 'solo' }] }, outputDimensionality: 3 }),
    });
    expect(await one.json()).toEqual({ embedding: { values: fakeVector(0, 3) } });
    expect(w.fake.requests[0]!.path).toBe('/v1beta/models/gemini-embedding-001:embedContent');

    const two = await fetch(`${w.running.url}/v1beta/models/big-emb:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: { parts: [{ text: 'solo' }] } }),
    });
    expect(await two.json()).toEqual({ embedding: { values: fakeVector(0, 8) } });
    expect(w.fake.requests[1]!.json).toMatchObject({ model: 'text-embedding-3-large', input: ['solo'] });
  });

  it('answers errors in Gemini shape', async () => {
    const r = await fetch(`${w.running.url}/v1beta/models/gemini-embedding-001:batchEmbedContents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [] }),
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: number; status: string; message: string } };
    expect(body.error.code).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toMatch(/requests/);
  });
});
