import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mediaRoutes } from '../../../../src-main/engine/media';
import { Routing } from '../../../../src-main/engine/routing';
import { configSchema } from '../../../../src-shared/config/schema';
import type { PipelineDeps } from '../../../../src-main/engine/pipeline/generate';
import type { RequestRecord } from '../../../../src-main/engine/pipeline/types';
import { protocols } from '../../../../src-main/engine/protocols';
import { providerFor } from '../../../../src-main/engine/providers';
import type { Account, ProviderDescriptor, ProviderId } from '../../../../src-main/engine/providers/provider';
import { DispatcherPool } from '../../../../src-main/engine/upstream/dispatchers';
import { makePng, sha256, startMediaUpstream, type MediaUpstream } from '../../../fakes/upstreams/media-upstream';

/**
 * The media candidate loop against a real fake upstream: envelopes of Code Assist-style
 * providers, failover on retryable failures, no failover on final ones, unreachable upstreams,
 * and operations an upstream kind cannot do.
 */

let fake: MediaUpstream;
let server: http.Server;
let client: OpenAI;
let accounts: Account[] = [];
const records: RequestRecord[] = [];
const dispatchers = new DispatcherPool({ connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000 });

function account(id: string, provider: ProviderId, baseUrl: string, models: string[]): Account {
  return { id, provider, kind: 'api-key', label: id, order: 0, priority: 0, weight: 1, disabled: false, baseUrl, models: models.map((name) => ({ name })), meta: {} };
}

/** A provider with the Code Assist envelope, aimed at the fake's plain Gemini route. */
const enveloped: ProviderDescriptor = {
  ...providerFor('gemini-api'),
  id: 'gemini-cli',
  wrapRequest: (body, call) => ({ model: call.upstreamModel, project: 'p-1', request: body }),
  unwrapResponse: (b) => (b && typeof b === 'object' && 'response' in b ? (b as { response: unknown }).response : b),
};

/** No waiting between passes, so an all-cooling answer comes at once. */
const config = configSchema.parse({ 'request-retry': 0, 'max-retry-interval': 0 });
let routing: Routing;

const deps = (): PipelineDeps => ({
  routing,
  credentials: { get: async (a) => `key-${a.id}`, refreshAfterUnauthorized: async () => false },
  dispatchers,
  hostOverrides: () => ({}),
  protocols,
  providers: (id) => (id === 'gemini-cli' ? enveloped : providerFor(id)),
  observer: { onRequestDone: (r) => records.push(r) },
});

beforeAll(async () => {
  fake = await startMediaUpstream();
  const app = express();
  app.use(mediaRoutes({ pipeline: deps, uploadLimitBytes: () => 5 * 1024 * 1024 }));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new OpenAI({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await fake.close();
  await dispatchers.close();
});
beforeEach(() => {
  // Fresh cooldowns for every case.
  routing = new Routing({ accounts: () => accounts, config: () => config, defaultModels: () => [] });
  fake.requests.length = 0;
  records.length = 0;
});

describe('media candidate loop', () => {
  it('wraps the body in the provider envelope, uploads streamed inside it, and unwraps the answer', async () => {
    accounts = [account('ca', 'gemini-cli', fake.url, ['img-model'])];
    const png = makePng(6, 6, [1, 2, 3], 300_000);
    const res = await client.images.edit({ model: 'img-model', prompt: 'brighter', image: await toFile(png, 'p.png') });
    expect(res.data).toHaveLength(1);
    const got = fake.requests[0]!;
    expect(got.json).toMatchObject({ model: 'img-model', project: 'p-1', request: { generationConfig: { responseModalities: ['IMAGE'] } } });
    expect(got.inline).toEqual([{ mimeType: 'image/png', base64Length: Math.ceil(png.length / 3) * 4, sha256: sha256(png) }]);
  });

  it('fails over on 5xx and on an unreachable upstream, and records the attempts', async () => {
    accounts = [account('dead', 'gemini-api', 'http://127.0.0.1:1', ['e']), account('flaky', 'gemini-api', fake.url, ['e']), account('good', 'gemini-api', fake.url, ['e'])];
    fake.failNext({ status: 503, times: 1 });
    const res = await client.embeddings.create({ model: 'e', input: 'x', encoding_format: 'float' });
    expect(res.data).toHaveLength(1);
    expect(records[0]).toMatchObject({ attempts: 3, status: 200, accountId: 'good', operation: 'embed' });
  });

  it('does not fail over on a final 400: the upstream error reaches the client', async () => {
    accounts = [account('a', 'gemini-api', fake.url, ['e']), account('b', 'gemini-api', fake.url, ['e'])];
    fake.failNext({ status: 400, times: 1, body: { error: { code: 400, message: 'text too long', status: 'INVALID_ARGUMENT' } } });
    const err = await client.embeddings.create({ model: 'e', input: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/text too long/);
    expect(fake.requests).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 400, attempts: 1 });
  });

  it('retries all n images on the next account when one of them fails', async () => {
    accounts = [account('a', 'gemini-api', fake.url, ['img']), account('b', 'gemini-api', fake.url, ['img'])];
    fake.failNext({ status: 429, times: 1 });
    const res = await client.images.generate({ model: 'img', prompt: 'p', n: 3 });
    expect(res.data).toHaveLength(3);
    expect(records[0]).toMatchObject({ attempts: 2, status: 200 });
  });

  it('answers 429 with Retry-After when every account is rate limited', async () => {
    accounts = [account('a', 'gemini-api', fake.url, ['e'])];
    fake.failNext({ status: 429, times: 1 });
    const err = await client.embeddings.create({ model: 'e', input: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBeTruthy();
  });

  it('refuses a model whose accounts cannot do the operation', async () => {
    accounts = [account('c', 'claude-api', fake.url, ['claude-x'])];
    const err = await client.embeddings.create({ model: 'claude-x', input: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/cannot do embeddings/);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses streaming image generation clearly', async () => {
    accounts = [account('o', 'openai-compatibility', `${fake.url}/v1`, ['gpt-image-1'])];
    const r = await fetch(`${client.baseURL}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-image-1', prompt: 'x', stream: true }) });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/stream/);
  });
});
