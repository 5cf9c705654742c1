import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';
import { openaiChatProtocol as chat } from '../../../../../src-main/engine/protocols/openai-chat';
import { openaiResponsesProtocol as responses } from '../../../../../src-main/engine/protocols/openai-responses';
import type { StreamDecoder } from '../../../../../src-main/engine/protocols/protocol';
import { SseDecoder } from '../../../../../src-main/engine/sse';
import { type FakeUpstream, type Scenario, standardScenarios, startOpenAIChatUpstream } from '../../../../fakes/upstreams/openai-chat-upstream';
import { startOpenAIResponsesUpstream } from '../../../../fakes/upstreams/openai-responses-upstream';
import { upstreamError } from '../upstream-error';

/**
 * The fake upstreams must speak the real wire formats (the official SDK reads them) and their
 * framing quirks must reach our decoders intact. Raw fetch + SseDecoder + protocol decoder is
 * exactly the path the pipeline takes.
 */
const open: FakeUpstream[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((u) => u.close()));
});

async function start(kind: 'chat' | 'responses', scenario: Scenario): Promise<FakeUpstream> {
  const up = await (kind === 'chat' ? startOpenAIChatUpstream : startOpenAIResponsesUpstream)({ script: () => scenario });
  open.push(up);
  return up;
}

async function streamParts(url: string, body: unknown, decoder: StreamDecoder): Promise<{ status: number; parts: IrStreamPart[]; reads: number }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const sse = new SseDecoder();
  const parts: IrStreamPart[] = [];
  let reads = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    reads++;
    for (const ev of sse.push(chunk)) parts.push(...decoder.push(ev));
  }
  for (const ev of sse.end()) parts.push(...decoder.push(ev));
  parts.push(...decoder.end());
  return { status: res.status, parts, reads };
}

const text = (parts: IrStreamPart[]) => parts.map((p) => (p.type === 'text-delta' ? p.text : '')).join('');

describe('fake OpenAI chat upstream', () => {
  it('is read by the official SDK, streaming and not, and records requests', async () => {
    const up = await start('chat', {
      reasoning: ['hm'],
      text: ['Hel', 'lo'],
      toolCalls: [{ id: 'call_1', name: 'f', arguments: '{"a":[1,2,3]}' }],
      usage: { input: 4, output: 6, cached: 1 },
    });
    const client = new OpenAI({ apiKey: 'k', baseURL: `${up.url}/v1`, maxRetries: 0 });
    const final = await client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream_options: { include_usage: true } }).finalChatCompletion();
    expect(final.choices[0].message.content).toBe('Hello');
    expect(final.choices[0].message.tool_calls?.[0]).toMatchObject({ id: 'call_1', function: { name: 'f', arguments: '{"a":[1,2,3]}' } });
    expect(final.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 6 });
    const plain = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(plain.choices[0].finish_reason).toBe('tool_calls');
    expect(up.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(up.requests[0].headers.authorization).toBe('Bearer k');
    expect(up.requests[1].body).toMatchObject({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
  });

  it('framing quirks (CRLF, split UTF-8, empty choices, tools in one chunk, usage last) decode intact', async () => {
    const up = await start('chat', {
      text: ['Grüße ', '🌍 ok'],
      toolCalls: [{ id: 'call_a', name: 'a', arguments: '{"x":"é"}' }, { name: 'b', arguments: '{}' }],
      usage: { input: 3, output: 9 },
      quirks: { crlf: true, splitUtf8: true, emptyChoicesChunk: true, toolCallsInOneChunk: true, usageOnlyLastChunk: true },
    });
    const { parts } = await streamParts(`${up.url}/chat/completions`, { model: 'm', stream: true }, chat.createStreamDecoder());
    expect(text(parts)).toBe('Grüße 🌍 ok');
    const starts = parts.filter((p) => p.type === 'tool-call-start');
    expect(starts.map((p) => p.type === 'tool-call-start' && p.name)).toEqual(['a', 'b']);
    expect(starts[1].type === 'tool-call-start' && starts[1].id).toMatch(/^call_/);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls', rawReason: 'tool_calls', usage: { inputTokens: 3, outputTokens: 9, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 12 } });
  });

  it('reads reasoning from the `reasoning` field some gateways use', async () => {
    const up = await start('chat', { reasoning: ['a', 'b'], text: ['c'], quirks: { reasoningField: 'reasoning' } });
    const { parts } = await streamParts(`${up.url}/v1/chat/completions`, { model: 'm', stream: true }, chat.createStreamDecoder());
    expect(parts.filter((p) => p.type === 'reasoning-delta')).toEqual([
      { type: 'reasoning-delta', text: 'a' },
      { type: 'reasoning-delta', text: 'b' },
    ]);
  });

  it('arguments split over many chunks are concatenated in order', async () => {
    const up = await start('chat', { toolCalls: [{ id: 'c', name: 'f', argumentChunks: ['{"q', '":"', 'long', ' value', '"}'] }] });
    const { parts } = await streamParts(`${up.url}/v1/chat/completions`, { model: 'm', stream: true }, chat.createStreamDecoder());
    const args = parts.map((p) => (p.type === 'tool-call-delta' ? p.argumentsDelta : '')).join('');
    expect(JSON.parse(args)).toEqual({ q: 'long value' });
  });

  it('HTTP errors come before any stream byte; mid-stream errors become an error part', async () => {
    const failing = await start('chat', { status: 429 });
    const res = await fetch(`${failing.url}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' });
    expect(res.status).toBe(429);
    expect(chat.decodeError(upstreamError(res.status, await res.json()))).toMatchObject({ kind: 'rate_limit', code: 'rate_limit_exceeded' });

    const broken = await start('chat', { text: ['a', 'b'], midStreamError: { afterEvents: 1, message: 'upstream fell over' } });
    const { parts } = await streamParts(`${broken.url}/v1/chat/completions`, { model: 'm', stream: true }, chat.createStreamDecoder());
    expect(text(parts)).toBe('a');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { status: 500, message: 'upstream fell over' } });
  });

  it('a chat stream dropped mid-answer still finishes (chat has no way to tell)', async () => {
    const up = await start('chat', { text: ['a', 'b', 'c'], quirks: { dropAfterEvents: 2 } });
    const { parts } = await streamParts(`${up.url}/v1/chat/completions`, { model: 'm', stream: true }, chat.createStreamDecoder());
    expect(text(parts)).toBe('ab');
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('a stream without finish_reason or [DONE] still finishes', async () => {
    const up = await start('chat', { text: ['x'], quirks: { omitDone: true, omitFinish: true } });
    const { parts } = await streamParts(`${up.url}/v1/chat/completions`, { model: 'm', stream: true }, chat.createStreamDecoder());
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('notices a client that leaves mid-stream', async () => {
    const up = await start('chat', { text: Array.from({ length: 50 }, (_, i) => `t${i}`), quirks: { delayMs: 10 } });
    const ac = new AbortController();
    const res = await fetch(`${up.url}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}', signal: ac.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    ac.abort();
    await reader.cancel().catch(() => undefined);
    for (let i = 0; i < 50 && !up.requests[0].aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(up.requests[0].aborted).toBe(true);
  });

  it('streams incrementally: with delays the body arrives in many reads', async () => {
    const up = await start('chat', { text: ['1', '2', '3', '4', '5'], quirks: { delayMs: 15 } });
    const { reads } = await streamParts(`${up.url}/v1/chat/completions`, { model: 'm', stream: true }, chat.createStreamDecoder());
    expect(reads).toBeGreaterThanOrEqual(5);
  });
});

describe('standard scenarios mean the same through both fakes', () => {
  for (const [name, scenario] of Object.entries(standardScenarios)) {
    it(name, async () => {
      const c = await start('chat', scenario);
      const r = await start('responses', scenario);
      const a = await streamParts(`${c.url}/v1/chat/completions`, { model: 'm', stream: true, stream_options: { include_usage: true } }, chat.createStreamDecoder());
      const b = await streamParts(`${r.url}/v1/responses`, { model: 'm', stream: true }, responses.createStreamDecoder());
      expect(a.status).toBe(b.status);
      if (a.status >= 400) return; // HTTP errors: same status is the whole contract
      const shape = (parts: IrStreamPart[]) =>
        parts.flatMap((p) => {
          if (p.type === 'text-delta' || p.type === 'reasoning-delta') return [`${p.type}:${p.text}`];
          if (p.type === 'tool-call-start') return [`call:${p.id}:${p.name}`];
          if (p.type === 'finish') return [`finish:${p.reason}:${p.usage?.inputTokens}/${p.usage?.outputTokens}`];
          if (p.type === 'error') return ['error'];
          return [];
        });
      const args = (parts: IrStreamPart[]) => parts.map((p) => (p.type === 'tool-call-delta' ? p.argumentsDelta : '')).join('');
      expect(shape(a.parts)).toEqual(shape(b.parts));
      expect(args(a.parts)).toEqual(args(b.parts));
    });
  }
});

describe('fake OpenAI Responses upstream', () => {
  it('is read by the official SDK, streaming and not', async () => {
    const up = await start('responses', {
      reasoning: ['plan'],
      text: ['Hi ', 'there'],
      toolCalls: [{ id: 'call_r', name: 'shell', arguments: '{"cmd":"ls"}' }],
      usage: { input: 10, output: 20, reasoning: 5 },
    });
    const client = new OpenAI({ apiKey: 'k', baseURL: `${up.url}/v1`, maxRetries: 0 });
    const final = await client.responses.stream({ model: 'gpt-5', input: 'x' }).finalResponse();
    expect(final.output_text).toBe('Hi there');
    expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(final.usage?.output_tokens_details.reasoning_tokens).toBe(5);
    const plain = await client.responses.create({ model: 'gpt-5', input: 'x' });
    expect(plain.output_text).toBe('Hi there');
    expect(up.requests[1].path).toBe('/v1/responses');
  });

  it('decodes through our Responses decoder with CRLF and split UTF-8', async () => {
    const up = await start('responses', {
      reasoning: ['a', 'b'],
      text: ['naïve ', '✓'],
      toolCalls: [{ name: 'f', argumentChunks: ['{"k"', ':', '2}'] }],
      usage: { input: 1, output: 2 },
      quirks: { crlf: true, splitUtf8: true },
    });
    const { parts } = await streamParts(`${up.url}/responses`, { model: 'm', stream: true }, responses.createStreamDecoder());
    expect(text(parts)).toBe('naïve ✓');
    expect(parts.filter((p) => p.type === 'reasoning-delta').map((p) => p.type === 'reasoning-delta' && p.text).join('')).toBe('ab');
    expect(parts).toContainEqual({ type: 'reasoning-signature', signature: 'gAAAAAfake-encrypted' });
    expect(parts).toContainEqual({ type: 'tool-call-start', index: 0, id: 'call_fake_0', name: 'f' });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'tool-calls', usage: { inputTokens: 1, outputTokens: 2 } });
  });

  it('gateways that send whole items without deltas still decode fully', async () => {
    const up = await start('responses', {
      reasoning: ['why'],
      text: ['whole'],
      toolCalls: [{ id: 'call_w', name: 'f', arguments: '{"a":1}' }],
      quirks: { itemsWithoutDeltas: true },
    });
    const { parts } = await streamParts(`${up.url}/v1/responses`, { model: 'm', stream: true }, responses.createStreamDecoder());
    expect(parts.map((p) => p.type)).toEqual(['start', 'reasoning-delta', 'reasoning-signature', 'text-delta', 'tool-call-start', 'tool-call-delta', 'finish']);
    expect(text(parts)).toBe('whole');
  });

  it('a stream cut inside an item is an error (Codex "stream disconnected before completion")', async () => {
    const up = await start('responses', { text: ['partial', ' and more'], quirks: { dropAfterEvents: 1 } });
    const { parts } = await streamParts(`${up.url}/v1/responses`, { model: 'm', stream: true }, responses.createStreamDecoder());
    expect(text(parts)).toBe('partial');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { status: 408, code: 'stream_disconnected' } });
  });

  it('a stream that closed every item but lacks response.completed finishes normally', async () => {
    const up = await start('responses', { text: ['whole'], toolCalls: [{ id: 'call_z', name: 'f', arguments: '{}' }], quirks: { omitCompleted: true } });
    const { parts } = await streamParts(`${up.url}/v1/responses`, { model: 'm', stream: true }, responses.createStreamDecoder());
    expect(text(parts)).toBe('whole');
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls', rawReason: 'completed' });
  });

  it('max tokens ends with response.incomplete → length; mid-stream failure → error part', async () => {
    const cut = await start('responses', { text: ['abc'], finishReason: 'length' });
    const a = await streamParts(`${cut.url}/v1/responses`, { model: 'm', stream: true }, responses.createStreamDecoder());
    expect(a.parts.at(-1)).toMatchObject({ type: 'finish', reason: 'length' });
    const broken = await start('responses', { text: ['abc'], midStreamError: { message: 'overloaded', code: 'rate_limit_exceeded' } });
    const b = await streamParts(`${broken.url}/v1/responses`, { model: 'm', stream: true }, responses.createStreamDecoder());
    expect(b.parts.at(-1)).toMatchObject({ type: 'error', error: { status: 429, message: 'overloaded' } });
  });
});
