import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../../../../src-main/engine/ir';
import { openaiChatProtocol as chat } from '../../../../../src-main/engine/protocols/openai-chat';
import { openaiResponsesProtocol as responses } from '../../../../../src-main/engine/protocols/openai-responses';

const base: IrRequest = { model: 'client', stream: false, system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }] };
type Body = Record<string, unknown>;
const chatBody = (ir: Partial<IrRequest>, model = 'gpt-4o', stream = false) => chat.encodeRequest({ ...base, ...ir }, { upstreamModel: model, stream }).body as Body;
const respBody = (ir: Partial<IrRequest>, model = 'gpt-5', stream = false) => responses.encodeRequest({ ...base, ...ir }, { upstreamModel: model, stream }).body as Body;

describe('chat encode-request rules', () => {
  it('uses max_completion_tokens for OpenAI reasoning models and max_tokens elsewhere', () => {
    expect(chatBody({ maxOutputTokens: 10 }, 'gpt-5-mini')).toMatchObject({ max_completion_tokens: 10 });
    expect(chatBody({ maxOutputTokens: 10 }, 'o3')).toMatchObject({ max_completion_tokens: 10 });
    expect(chatBody({ maxOutputTokens: 10 }, 'deepseek-chat')).toMatchObject({ max_tokens: 10 });
  });

  it('asks for usage in streams, and asks for the model the route resolved', () => {
    expect(chatBody({}, 'up-model', true)).toMatchObject({ model: 'up-model', stream: true, stream_options: { include_usage: true } });
    expect(chatBody({}, 'up-model', false)).not.toHaveProperty('stream_options');
  });

  it('maps reasoning to reasoning_effort, converting budgets, and says nothing when it is off', () => {
    expect(chatBody({ reasoning: { enabled: true, budgetTokens: 30000 } })).toMatchObject({ reasoning_effort: 'xhigh' });
    expect(chatBody({ reasoning: { enabled: true, budgetTokens: -1 } })).toMatchObject({ reasoning_effort: 'auto' });
    expect(chatBody({ reasoning: { enabled: true, effort: 'minimal' } })).toMatchObject({ reasoning_effort: 'minimal' });
    expect(chatBody({ reasoning: { enabled: false, effort: 'none' } })).not.toHaveProperty('reasoning_effort');
  });

  it('keeps client-only fields from a chat client but never lets them override mapped ones', () => {
    const body = chatBody({ temperature: 0.1, extensions: { 'openai-chat': { temperature: 2, n: 2, logit_bias: { 1: 1 } } } });
    expect(body).toMatchObject({ temperature: 0.1, n: 2, logit_bias: { 1: 1 } });
  });

  it('sends tool-result images as a user turn after the tool messages', () => {
    const body = chatBody({
      messages: [
        { role: 'assistant', parts: [{ type: 'tool-call', id: 'c', name: 'shot', arguments: '{}' }] },
        { role: 'tool', parts: [{ type: 'tool-result', callId: 'c', content: [{ type: 'media', mediaType: 'image/png', data: 'AA' }] }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'shot', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', content: '' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] },
    ]);
  });
});

describe('responses encode-request rules', () => {
  it('drops what the Responses API cannot say (stop, seed, penalties, top_k)', () => {
    const body = respBody({ stopSequences: ['x'], seed: 1, presencePenalty: 1, frequencyPenalty: 1, topK: 5 });
    for (const k of ['stop', 'seed', 'presence_penalty', 'frequency_penalty', 'top_k']) expect(body).not.toHaveProperty(k);
  });

  it('asks for a reasoning summary only when the client wants reasoning text', () => {
    expect(respBody({ reasoning: { enabled: true, effort: 'high', includeThoughts: true } }).reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect(respBody({ reasoning: { enabled: true, effort: 'high', includeThoughts: false } }).reasoning).toEqual({ effort: 'high' });
    expect(respBody({ reasoning: { enabled: true, budgetTokens: 1024, includeThoughts: true } }).reasoning).toEqual({ effort: 'low', summary: 'auto' });
    expect(respBody({ reasoning: { enabled: false, effort: 'none' } })).not.toHaveProperty('reasoning');
  });

  it('sends back only OpenAI-encrypted reasoning, never another family signature', () => {
    const body = respBody({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'claude thought', signature: 'EqQBCkgIAR' },
            { type: 'reasoning', text: 'gemini thought' },
            { type: 'reasoning', text: 'openai thought', signature: 'gAAAAABk' },
            { type: 'text', text: 'a' },
          ],
        },
      ],
    });
    const items = body.input as Body[];
    expect(items.filter((i) => i.type === 'reasoning')).toEqual([{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'openai thought' }], encrypted_content: 'gAAAAABk' }]);
  });

  it('marks function tools non-strict unless the client said strict (the API defaults to strict)', () => {
    const body = respBody({ tools: [{ name: 'a', parameters: { type: 'object' } }, { name: 'b', parameters: { type: 'object' }, strict: true }] });
    expect((body.tools as Body[]).map((t) => t.strict)).toEqual([false, true]);
  });
});
