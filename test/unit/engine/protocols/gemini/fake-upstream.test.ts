import { GoogleGenAI } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';
import { geminiProtocol as gemini, unwrapCodeAssist, wrapCodeAssist } from '../../../../../src-main/engine/protocols/gemini';
import { SseDecoder } from '../../../../../src-main/engine/sse/decoder';
import { type FakeUpstream, type Scenario, startGeminiUpstream } from '../../../../fakes/upstreams/gemini-upstream';
import { upstreamError } from '../upstream-error';

let fake: FakeUpstream | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(scenario: Scenario): Promise<FakeUpstream> {
  fake = await startGeminiUpstream({ script: () => scenario });
  return fake;
}

async function streamParts(url: string, body: unknown): Promise<IrStreamPart[]> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  const sse = new SseDecoder();
  const dec = gemini.createStreamDecoder();
  const parts: IrStreamPart[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const ev of sse.push(chunk)) parts.push(...dec.push(ev));
  for (const ev of sse.end()) parts.push(...dec.push(ev));
  parts.push(...dec.end());
  return parts;
}

const request = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

describe('fake Gemini upstream', () => {
  it('serves @google/genai streams with CRLF, split UTF-8 and keep-alive comments', async () => {
    const f = await start({
      steps: [{ type: 'thinking', text: 'pensée', signature: 'sig' }, { type: 'text', text: 'naïve café ☕', chunks: 3 }],
      usage: { input: 4, output: 5, thoughts: 2 },
      framing: { crlf: true, splitUtf8: true, pings: true },
    });
    const ai = new GoogleGenAI({ apiKey: 'key-1', httpOptions: { baseUrl: f.url } });
    let text = '';
    let usage: unknown;
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' })) {
      text += chunk.text ?? '';
      usage = chunk.usageMetadata ?? usage;
    }
    expect(text).toBe('naïve café ☕');
    expect(usage).toMatchObject({ promptTokenCount: 4, candidatesTokenCount: 5, thoughtsTokenCount: 2 });
    expect(f.requests[0].path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(f.requests[0].headers['x-goog-api-key']).toBe('key-1');
  });

  it('decodes several function calls in one chunk and usage that comes after the finish chunk', async () => {
    const f = await start({
      steps: [
        { type: 'tool', name: 'a', args: '{"x":1}', thoughtSignature: 'ts' },
        { type: 'tool', name: 'b', args: '{}' },
      ],
      toolsInOneChunk: true,
      usageInSeparateChunk: true,
      usage: { input: 9, output: 3 },
    });
    const parts = await streamParts(`${f.url}/v1beta/models/g:streamGenerateContent?alt=sse`, request);
    const starts = parts.filter((p) => p.type === 'tool-call-start');
    expect(starts.map((p) => [p.index, p.name, p.thoughtSignature])).toEqual([
      [0, 'a', 'ts'],
      [1, 'b', undefined],
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'tool-calls', usage: { inputTokens: 9, outputTokens: 3 } });
  });

  it('also answers on the Vertex model paths', async () => {
    const f = await start({ steps: [{ type: 'text', text: 'vertex' }] });
    for (const path of ['/v1/publishers/google/models/gemini-2.5-pro:generateContent', '/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent']) {
      const res = await fetch(`${f.url}${path}`, { method: 'POST', body: JSON.stringify(request) });
      expect(gemini.decodeResponse(await res.json()).parts).toEqual([{ type: 'text', text: 'vertex' }]);
    }
  });

  it('answers streamGenerateContent without alt=sse as one JSON array', async () => {
    const f = await start({ steps: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] });
    const res = await fetch(`${f.url}/v1beta/models/g:streamGenerateContent`, { method: 'POST', body: JSON.stringify(request) });
    const chunks = (await res.json()) as unknown[];
    expect(chunks.map((c) => gemini.decodeResponse(c).parts)).toEqual([[{ type: 'text', text: 'a' }], [{ type: 'text', text: 'b' }], []]);
  });

  it('speaks the Code Assist envelope on /v1internal', async () => {
    const f = await start({ steps: [{ type: 'text', text: 'wrapped' }], usage: { input: 2, output: 1 } });
    const body = wrapCodeAssist(request, { model: 'gemini-2.5-pro', project: 'p-1' });
    const parts = await streamParts(`${f.url}/v1internal:streamGenerateContent?alt=sse`, body);
    expect(parts.filter((p) => p.type === 'text-delta')).toEqual([{ type: 'text-delta', text: 'wrapped' }]);
    expect(f.requests[0].body).toMatchObject({ model: 'gemini-2.5-pro', project: 'p-1', request });
    const res = await fetch(`${f.url}/v1internal:generateContent`, { method: 'POST', body: JSON.stringify(body) });
    const json = await res.json();
    expect(json).toHaveProperty('response');
    expect(gemini.decodeResponse(unwrapCodeAssist(json)).parts).toEqual([{ type: 'text', text: 'wrapped' }]);
    const count = await fetch(`${f.url}/v1internal:countTokens`, { method: 'POST', body: JSON.stringify(body) });
    expect(await count.json()).toEqual({ response: { totalTokens: 2 }, traceId: 'fake-trace' });
  });

  it('returns the scripted HTTP error before any stream byte', async () => {
    const f = await start({ error: { status: 429, body: { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } } } });
    const res = await fetch(`${f.url}/v1beta/models/g:streamGenerateContent?alt=sse`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(429);
    expect(gemini.decodeError(upstreamError(429, await res.text()))).toMatchObject({ kind: 'rate_limit', message: 'Quota exceeded' });
  });

  it('ends a stream without finishReason, and the decoder still finishes it', async () => {
    const f = await start({ steps: [{ type: 'text', text: 'cut' }], omitFinish: true });
    const parts = await streamParts(`${f.url}/v1beta/models/g:streamGenerateContent?alt=sse`, request);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop', usage: { inputTokens: 10, outputTokens: 0, totalTokens: 10 } });
  });
});
