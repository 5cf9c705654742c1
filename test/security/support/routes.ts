import { expect } from 'vitest';
import type { ProtocolId } from '../../../src-main/engine/protocols/protocol';
import type { RouteId, RouteSpec } from '../../../src-main/engine/server/route-table';

/** The model every hostile-suite config serves (an alias on the counting upstream). */
export const MODEL = 'm';
export const CLIENT_KEY = 'sk-client-key-0123456789';

/** The documented path of a route with `{model}` filled in. */
export function concretePath(spec: RouteSpec, model = MODEL): string {
  return spec.path.replace('{model}', model);
}

/** A small valid request body for each POST route (what a real SDK would send). */
export function sampleBody(id: RouteId): { body: string; contentType: string } | undefined {
  const json = (v: unknown) => ({ body: JSON.stringify(v), contentType: 'application/json' });
  const user = [{ role: 'user', content: 'hi' }];
  switch (id) {
    case 'openai-chat':
      return json({ model: MODEL, messages: user });
    case 'openai-completions':
      return json({ model: MODEL, prompt: 'hi' });
    case 'openai-responses':
      return json({ model: MODEL, input: 'hi' });
    case 'claude-messages':
    case 'claude-count-tokens':
      return json({ model: MODEL, max_tokens: 16, messages: user });
    case 'gemini-generate':
    case 'gemini-stream-generate':
    case 'gemini-count-tokens':
      return json({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    case 'gemini-embed':
      return json({ content: { parts: [{ text: 'hi' }] } });
    case 'gemini-batch-embed':
      return json({ requests: [{ model: `models/${MODEL}`, content: { parts: [{ text: 'hi' }] } }] });
    case 'openai-embeddings':
      return json({ model: MODEL, input: 'hi' });
    case 'ollama-chat':
      return json({ model: MODEL, messages: user, stream: false });
    case 'ollama-generate':
      return json({ model: MODEL, prompt: 'hi', stream: false });
    case 'ollama-show':
      return json({ model: MODEL });
    case 'openai-image-generations':
      return json({ model: MODEL, prompt: 'a cat' });
    case 'openai-image-edits': {
      const b = 'sy-boundary';
      const body = [`--${b}`, 'Content-Disposition: form-data; name="model"', '', MODEL, `--${b}`, 'Content-Disposition: form-data; name="prompt"', '', 'a cat', `--${b}--`, ''].join('\r\n');
      return { body, contentType: `multipart/form-data; boundary=${b}` };
    }
    default:
      return undefined;
  }
}

/**
 * The error shapes the official SDKs parse (PROTOCOLS.md §2.3; Anthropic and Google API docs):
 * OpenAI `{error:{message,type,param,code}}`, Claude `{type:"error",error:{type,message}}`,
 * Gemini `{error:{code,message,status}}`, Ollama `{error:"..."}`.
 */
export function expectWireError(wire: ProtocolId, body: unknown, status: number, words: { openai?: string; claude?: string; gemini?: string } = {}): void {
  const b = body as Record<string, Record<string, unknown>>;
  if (wire === 'gemini') {
    expect(b.error.code).toBe(status);
    expect(typeof b.error.message).toBe('string');
    if (words.gemini) expect(b.error.status).toBe(words.gemini);
  } else if (wire === 'ollama') {
    // Ollama (docs/api.md "Errors"): `{"error": "<message>"}`, the status says the rest.
    expect(Object.keys(b)).toEqual(['error']);
    expect(typeof b.error).toBe('string');
  } else if (wire === 'claude-messages') {
    expect(b.type).toBe('error');
    expect(typeof b.error.message).toBe('string');
    if (words.claude) expect(b.error.type).toBe(words.claude);
  } else {
    expect(typeof b.error.message).toBe('string');
    expect(b.error).toHaveProperty('code');
    if (words.openai) expect(b.error.type).toBe(words.openai);
  }
}

/** Engine config: client keys, and one OpenAI-compatible upstream serving model `m`. */
export function hostileConfig(upstreamUrl: string, extra: string[] = []): string {
  return [
    `api-keys: [${CLIENT_KEY}]`,
    'request-retry: 0',
    'remote-management: {secret-key: mgmt-secret-key}',
    'openai-compatibility:',
    '  - name: fake',
    `    base-url: ${upstreamUrl}/v1`,
    '    api-key: sk-upstream-secret',
    '    models:',
    `      - name: up-model`,
    `        alias: ${MODEL}`,
    `      - name: up-slow`,
    `        alias: slow`,
    ...extra,
  ].join('\n');
}
