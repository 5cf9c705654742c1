import { describe, expect, it } from 'vitest';
import {
  chatResponseToCompletion,
  chatSseEventToCompletionSse,
  completionsRequestToChat,
  legacyCompletionsProtocol as legacy,
  openaiChatProtocol as chat,
} from '../../../../../src-main/engine/protocols/openai-chat';
import { parseSseText } from './golden';

describe('legacy /v1/completions through the chat path', () => {
  it('turns a completion request into a one-turn chat request', () => {
    const body = completionsRequestToChat({ model: 'gpt-3.5-turbo-instruct', prompt: 'Once upon', max_tokens: 16, temperature: 0, stop: ['\n'], stream: true, echo: false, suffix: 'x' });
    expect(body).toEqual({ model: 'gpt-3.5-turbo-instruct', messages: [{ role: 'user', content: 'Once upon' }], stream: true, max_tokens: 16, temperature: 0, stop: ['\n'] });
    // and the result is a valid chat body
    expect(chat.decodeRequest(body, {}).messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'Once upon' }] }]);
    expect(completionsRequestToChat({ model: 'm', prompt: ['only one'] }).messages).toEqual([{ role: 'user', content: 'only one' }]);
    expect(() => completionsRequestToChat({ model: 'm', prompt: ['a', 'b'] })).toThrow(/single prompt/);
  });

  it('re-shapes a chat answer as text_completion', () => {
    const chatJson = chat.encodeResponse(
      { id: 'chatcmpl-abc', model: 'm', created: 1, parts: [{ type: 'text', text: ' a time' }], finishReason: 'length', usage: { inputTokens: 2, outputTokens: 3 } },
      { clientModel: 'm' },
    );
    expect(chatResponseToCompletion(chatJson)).toEqual({
      id: 'cmpl-abc',
      object: 'text_completion',
      created: 1,
      model: 'm',
      choices: [{ text: ' a time', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    });
  });

  it('re-shapes chat stream events, dropping the role-only opener and keeping [DONE] and errors', () => {
    const enc = chat.createStreamEncoder({ clientModel: 'm' });
    const chatSse =
      enc.push({ type: 'start', id: 'chatcmpl-s', model: 'm', created: 5 }) +
      enc.push({ type: 'text-delta', text: 'Hi' }) +
      enc.push({ type: 'finish', reason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } }) +
      enc.end();
    const legacy = parseSseText(chatSse)
      .map((e) => chatSseEventToCompletionSse({ data: typeof e.data === 'string' ? e.data : JSON.stringify(e.data) }))
      .join('');
    expect(parseSseText(legacy)).toEqual([
      { data: { id: 'cmpl-s', object: 'text_completion', created: 5, model: 'm', choices: [{ text: 'Hi', index: 0, logprobs: null, finish_reason: null }] } },
      {
        data: {
          id: 'cmpl-s',
          object: 'text_completion',
          created: 5,
          model: 'm',
          choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        },
      },
      { data: '[DONE]' },
    ]);
    expect(chatSseEventToCompletionSse({ data: '{"error":{"message":"x"}}' })).toBe('data: {"error":{"message":"x"}}\n\n');
  });

  it('legacyCompletionsProtocol is the chat codec with completion shapes in and out', () => {
    expect(legacy.decodeRequest({ model: 'm', prompt: 'p', max_tokens: 5 }, {})).toMatchObject({
      model: 'm',
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'p' }] }],
      maxOutputTokens: 5,
    });
    expect(legacy.encodeResponse({ id: 'chatcmpl-q', model: 'm', created: 2, parts: [{ type: 'text', text: 'out' }], finishReason: 'stop' }, { clientModel: 'm' })).toMatchObject({
      id: 'cmpl-q',
      object: 'text_completion',
      choices: [{ text: 'out', finish_reason: 'stop' }],
    });
    const enc = legacy.createStreamEncoder({ clientModel: 'm' });
    const sse =
      enc.push({ type: 'start', id: 'chatcmpl-r', model: 'm', created: 3 }) +
      enc.push({ type: 'text-delta', text: 'a' }) +
      enc.push({ type: 'error', error: { status: 500, message: 'bad' } }) +
      enc.end();
    expect(parseSseText(sse)).toEqual([
      { data: { id: 'cmpl-r', object: 'text_completion', created: 3, model: 'm', choices: [{ text: 'a', index: 0, logprobs: null, finish_reason: null }] } },
      { data: { error: { message: 'bad', type: 'server_error', param: null, code: 'internal_server_error' } } },
      { data: '[DONE]' },
    ]);
    expect(parseSseText(legacy.encodeStreamError({ status: 500, message: 'late' })).map((e) => e.data)).toEqual([
      { error: { message: 'late', type: 'server_error', param: null, code: 'internal_server_error' } },
      '[DONE]',
    ]);
  });
});
