import { afterAll, beforeAll, expect, it } from 'vitest';
import { Ollama } from 'ollama';
import { startEngine, type RunningEngine } from '../harness';

/**
 * Ollama clients send no key by default. With `api-keys` set, the Ollama routes ask for one like
 * every model route, and answer the refusal in Ollama's error shape; the npm client can send the
 * key as `Authorization: Bearer` through its `headers` option.
 */

let sy: RunningEngine;
beforeAll(async () => {
  sy = await startEngine('api-keys: [sk-client]\n');
});
afterAll(async () => {
  await sy?.close();
});

it('refuses a keyless client with 401 {"error"} and serves one sending Bearer', async () => {
  await expect(new Ollama({ host: sy.url }).list()).rejects.toMatchObject({ name: 'ResponseError', status_code: 401, error: expect.stringMatching(/API key/) });
  const raw = await fetch(`${sy.url}/api/chat`, { method: 'POST', body: '{}' });
  expect(raw.status).toBe(401);
  expect(Object.keys((await raw.json()) as object)).toEqual(['error']);
  const keyed = new Ollama({ host: sy.url, headers: { Authorization: 'Bearer sk-client' } });
  expect(await keyed.list()).toEqual({ models: [] });
});
