import { describe, expect, it } from 'vitest';
import type { IrRequest, IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { openaiChatProtocol as chat } from '../../../../../src-main/engine/protocols/openai-chat';
import { decodeSseText } from './golden';

/** IRs that Chat Completions can say without loss: decode(encode(ir)) must give them back. */
const faithful: Record<string, IrRequest> = {
  'system, multi-turn and sampling': {
    model: 'up-model',
    stream: true,
    system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Be kind.' }],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Hello!' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Bye' }] },
    ],
    maxOutputTokens: 100,
    temperature: 0.3,
    topP: 0.8,
    stopSequences: ['a', 'b'],
    seed: 3,
    presencePenalty: 0.5,
    frequencyPenalty: 0.25,
    user: 'me',
  },
  'tools, parallel calls and results': {
    model: 'up-model',
    stream: false,
    system: [],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'Weather?' }, { type: 'media', mediaType: 'image/png', data: 'AAAA' }, { type: 'media', mediaType: 'image/jpeg', url: 'https://e.x/p.jpg' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'two calls' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', id: 'call_1', name: 'w', arguments: '{"c":"P"}' },
          { type: 'tool-call', id: 'call_2', name: 'w', arguments: '{"c":"T"}' },
        ],
      },
      {
        role: 'tool',
        parts: [
          { type: 'tool-result', callId: 'call_1', content: [{ type: 'text', text: '18' }] },
          { type: 'tool-result', callId: 'call_2', content: [{ type: 'text', text: '22' }] },
        ],
      },
    ],
    tools: [{ name: 'w', description: 'weather', parameters: { type: 'object', properties: { c: { type: 'string' } } }, strict: true }],
    toolChoice: { type: 'required' },
    parallelToolCalls: true,
    responseFormat: { type: 'json-schema', name: 'out', schema: { type: 'object' }, strict: true },
    reasoning: { enabled: true, effort: 'low', includeThoughts: true },
  },
};

describe('openai-chat request round trip', () => {
  for (const [name, ir] of Object.entries(faithful)) {
    it(`decode ∘ encode keeps: ${name}`, () => {
      const { body } = chat.encodeRequest(ir, { upstreamModel: 'up-model', stream: ir.stream });
      const back = chat.decodeRequest(JSON.parse(JSON.stringify(body)), {});
      expect(back).toEqual(ir);
    });
  }

  it('encode ∘ decode keeps a client body, unknown fields included', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'developer', content: 'rules' },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'r' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 9,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: 'auto',
      reasoning_effort: 'minimal',
      logprobs: true,
      top_logprobs: 2,
      metadata: { a: '1' },
    };
    const { body: out } = chat.encodeRequest(chat.decodeRequest(body, {}), { upstreamModel: 'm', stream: true });
    expect(out).toEqual(body);
  });
});

describe('openai-chat response and stream round trips', () => {
  const response: IrResponse = {
    id: 'chatcmpl-1',
    model: 'client',
    created: 1_700_000_000,
    parts: [
      { type: 'reasoning', text: 'why' },
      { type: 'text', text: 'answer' },
      { type: 'tool-call', id: 'call_x', name: 'f', arguments: '{"a":1}' },
    ],
    finishReason: 'tool-calls',
    rawFinishReason: 'tool_calls',
    usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2, totalTokens: 15 },
  };

  it('decodeResponse ∘ encodeResponse keeps the response', () => {
    const json = chat.encodeResponse(response, { clientModel: 'client' });
    expect(chat.decodeResponse(JSON.parse(JSON.stringify(json)))).toEqual(response);
  });

  it('the stream decoder reads back what the stream encoder wrote', () => {
    const parts: IrStreamPart[] = [
      { type: 'start', id: 'chatcmpl-2', model: 'client', created: 1_700_000_000 },
      { type: 'reasoning-delta', text: 'r1' },
      { type: 'text-delta', text: 'héllo ' },
      { type: 'text-delta', text: '🌍' },
      { type: 'tool-call-start', index: 0, id: 'call_a', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ':1}' },
      { type: 'tool-call-start', index: 1, id: 'call_b', name: 'g' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } },
    ];
    const enc = chat.createStreamEncoder({ clientModel: 'client' });
    const text = parts.map((p) => enc.push(p)).join('') + enc.end();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const back = decodeSseText(text, chat.createStreamDecoder(), 3);
    expect(back).toEqual([
      ...parts.slice(0, -1),
      // Usage rode on the finish chunk: the decoder reports it as it reads it, then finishes.
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } },
      { type: 'finish', reason: 'tool-calls', rawReason: 'tool_calls', usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } },
    ]);
  });
});
