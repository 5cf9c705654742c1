import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { openaiChatProtocol as chat } from '../../../../../src-main/engine/protocols/openai-chat';
import { openaiResponsesProtocol as responses } from '../../../../../src-main/engine/protocols/openai-responses';
import type { Protocol } from '../../../../../src-main/engine/protocols/protocol';

/**
 * What our encoders write must be what the official `openai` SDK can read: its stream helpers
 * (ChatCompletionStream, ResponseStream) rebuild the final object from our events, and its
 * error handling must see our error events. A tiny server on 127.0.0.1 plays the encoded output.
 */
let script: { protocol: Protocol; parts: IrStreamPart[]; json?: IrResponse } = { protocol: chat, parts: [] };
let server: Server;
let client: OpenAI;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const ctx = { clientModel: 'client-model', toolNames: new Map([['short', 'original_name']]) };
      if (script.json) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(script.protocol.encodeResponse(script.json, ctx)));
        return;
      }
      res.writeHead(200, { 'content-type': script.protocol.streamContentType });
      const enc = script.protocol.createStreamEncoder(ctx);
      for (const p of script.parts) res.write(enc.push(p));
      res.end(enc.end());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new OpenAI({ apiKey: 'test', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const toolStream: IrStreamPart[] = [
  { type: 'start', id: 'x1', model: 'up', created: 1_700_000_000 },
  { type: 'reasoning-delta', text: 'consider' },
  { type: 'text-delta', text: 'Hello ' },
  { type: 'text-delta', text: 'wörld' },
  { type: 'tool-call-start', index: 0, id: 'call_1', name: 'short' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
  { type: 'tool-call-start', index: 1, id: 'call_2', name: 'other' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
  { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3, reasoningTokens: 2 } },
];

describe('openai SDK reads our chat output', () => {
  it('ChatCompletionStream rebuilds text, tool calls (original names), finish and usage', async () => {
    script = { protocol: chat, parts: toolStream };
    const stream = client.chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] });
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0];
    expect(final.model).toBe('client-model');
    expect(choice.message.content).toBe('Hello wörld');
    expect(choice.message.tool_calls?.map((c) => c.type === 'function' && [c.id, c.function.name, c.function.arguments])).toEqual([
      ['call_1', 'original_name', '{"a":1}'],
      ['call_2', 'other', '{}'],
    ]);
    expect(choice.finish_reason).toBe('tool_calls');
    expect(final.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 3 } });
  });

  it('a mid-stream error event makes the SDK throw an APIError', async () => {
    script = {
      protocol: chat,
      parts: [toolStream[0], { type: 'text-delta', text: 'x' }, { type: 'error', error: { status: 429, message: 'quota gone', code: 'rate_limit_exceeded' } }],
    };
    const run = async () => {
      const s = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const _ of s) void _;
    };
    await expect(run()).rejects.toThrow(/quota gone/);
  });

  it('non-streaming JSON parses as a ChatCompletion', async () => {
    script = {
      protocol: chat,
      parts: [],
      json: { id: 'chatcmpl-j', model: 'up', created: 1, parts: [{ type: 'text', text: 'ok' }], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } },
    };
    const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.choices[0].message.content).toBe('ok');
    expect(res.usage?.total_tokens).toBe(2);
  });
});

describe('openai SDK reads our Responses output', () => {
  it('ResponseStream replays every event and yields the final response', async () => {
    script = { protocol: responses, parts: toolStream };
    const stream = client.responses.stream({ model: 'client-model', input: 'hi' });
    const types: string[] = [];
    let seq = -1;
    stream.on('event', (e) => {
      types.push(e.type);
      expect(e.sequence_number).toBe(seq + 1);
      seq = e.sequence_number;
    });
    const final = await stream.finalResponse();
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(final.output_text).toBe('Hello wörld');
    const calls = final.output.filter((o) => o.type === 'function_call');
    expect(calls.map((c) => c.type === 'function_call' && [c.call_id, c.name, c.arguments])).toEqual([
      ['call_1', 'original_name', '{"a":1}'],
      ['call_2', 'other', '{}'],
    ]);
    const reasoning = final.output.find((o) => o.type === 'reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.summary[0].text).toBe('consider');
    expect(final.usage).toMatchObject({ input_tokens: 11, output_tokens: 7, input_tokens_details: { cached_tokens: 3 }, output_tokens_details: { reasoning_tokens: 2 } });
  });

  it('non-streaming JSON parses as a Response with output_text', async () => {
    script = {
      protocol: responses,
      parts: [],
      json: { id: 'resp_j', model: 'up', created: 1, parts: [{ type: 'text', text: 'fine' }], finishReason: 'stop' },
    };
    const res = await client.responses.create({ model: 'm', input: 'hi' });
    expect(res.output_text).toBe('fine');
    expect(res.status).toBe('completed');
  });
});
