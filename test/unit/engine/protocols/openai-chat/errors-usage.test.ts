import { describe, expect, it } from 'vitest';
import { openaiChatProtocol as chat } from '../../../../../src-main/engine/protocols/openai-chat';
import { InvalidRequestError } from '../../../../../src-main/engine/protocols/protocol';
import { openaiResponsesProtocol as responses } from '../../../../../src-main/engine/protocols/openai-responses';
import { parseSseText } from './golden';
import { upstreamError } from '../upstream-error';

describe('OpenAI error shapes', () => {
  it('encodes {error:{message,type,param,code}} with status-derived defaults', () => {
    expect(chat.encodeError({ status: 429, message: 'slow down' })).toEqual({
      error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
    });
    expect(chat.encodeError({ status: 400, message: 'bad', kind: 'invalid_request', details: { param: 'messages.0' } })).toEqual({
      error: { message: 'bad', type: 'invalid_request_error', param: 'messages.0', code: null },
    });
    expect(chat.encodeError({ status: 404, message: 'no model', kind: 'not_found', code: 'model_not_found' })).toMatchObject({
      error: { type: 'invalid_request_error', code: 'model_not_found' },
    });
    expect(responses.encodeError({ status: 401, message: 'key' })).toMatchObject({ error: { type: 'authentication_error', code: 'invalid_api_key' } });
  });

  it('decodes OpenAI, array-wrapped, {message} and plain-text upstream errors, keeping their words', () => {
    expect(chat.decodeError(upstreamError(429, { error: { message: 'Rate limit', type: 'requests', code: 'rate_limit_exceeded', param: null } }))).toEqual({
      status: 429,
      message: 'Rate limit',
      kind: 'rate_limit',
      code: 'rate_limit_exceeded',
    });
    expect(chat.decodeError(upstreamError(400, [{ error: { message: 'wrapped', type: 'invalid_request_error' } }]))).toMatchObject({ message: 'wrapped', kind: 'invalid_request' });
    expect(chat.decodeError(upstreamError(500, '{"message":"plain json"}'))).toMatchObject({ message: 'plain json', kind: 'server' });
    expect(chat.decodeError(upstreamError(502, '<html>bad gateway</html>'))).toMatchObject({ message: '<html>bad gateway</html>', kind: 'upstream' });
    expect(responses.decodeError(upstreamError(400, { error: { message: 'x', param: 'input' } }))).toMatchObject({ details: { param: 'input' } });
  });

  it('renders a late chat failure as an error data line followed by [DONE]', () => {
    const events = parseSseText(chat.encodeStreamError({ status: 502, message: 'gone' }));
    expect(events).toEqual([{ data: { error: { message: 'gone', type: 'server_error', param: null, code: 'upstream_error' } } }, { data: '[DONE]' }]);
  });

  it('renders a late Responses failure as error + response.failed', () => {
    const events = parseSseText(responses.encodeStreamError({ status: 429, message: 'busy' }));
    expect(events.map((e) => e.event)).toEqual(['error', 'response.failed']);
    expect(events[0].data).toMatchObject({ type: 'error', code: 'rate_limit_exceeded', message: 'busy' });
    expect(events[1].data).toMatchObject({ response: { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'busy' } } });
  });
});

describe('bad client bodies become InvalidRequestError naming the path', () => {
  it('chat', () => {
    expect(() => chat.decodeRequest({ model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, {})).toThrow(InvalidRequestError);
    let caught: unknown;
    try {
      chat.decodeRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidRequestError);
    expect((caught as InvalidRequestError).param).toBe('messages.0.content.0.image_url');
    expect(() => chat.decodeRequest({ messages: [] }, {})).toThrow(/model/);
    expect(chat.decodeRequest({ messages: [] }, { model: 'from-path' }).model).toBe('from-path');
  });

  it('unknown client fields travel as extensions, but never prototype keys', () => {
    const body = JSON.parse('{"model":"m","messages":[],"n":2,"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const ext = chat.decodeRequest(body, {}).extensions?.['openai-chat'] ?? {};
    expect(ext).toEqual({ n: 2 });
    expect(Object.getPrototypeOf(ext)).toBe(Object.prototype);
  });

  it('responses', () => {
    expect(() => responses.decodeRequest({ model: 'm', input: [{ type: 'function_call', call_id: 'c' }] }, {})).toThrow(/input\.0\.name/);
    expect(() => responses.decodeRequest({ model: 'm', input: 5 }, {})).toThrow(InvalidRequestError);
  });
});

describe('an unreadable upstream answer is a server error, not the client\'s 400', () => {
  it.each([
    ['chat', () => chat.decodeResponse({ choices: 'nope' })],
    ['responses', () => responses.decodeResponse({ output: 5 })],
  ])('%s', (_name, run) => {
    let caught: unknown;
    try {
      run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).not.toBeInstanceOf(InvalidRequestError);
    expect(String(caught)).toMatch(/upstream sent an unreadable/);
  });
});

describe('sniffUsage (passthrough side channel)', () => {
  it('reads chat usage from the usage chunk and ignores the rest', () => {
    expect(chat.sniffUsage!({ data: '{"choices":[{"delta":{"content":"usage"}}]}' })).toBeUndefined();
    expect(chat.sniffUsage!({ data: '[DONE]' })).toBeUndefined();
    expect(chat.sniffUsage!({ data: '{"choices":[],"usage":null}' })).toBeUndefined();
    expect(
      chat.sniffUsage!({
        data: '{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":1}}}',
      }),
    ).toEqual({ inputTokens: 7, outputTokens: 3, cachedInputTokens: 2, reasoningTokens: 1, totalTokens: 10 });
  });

  it('reads Responses usage from the terminal event only', () => {
    expect(responses.sniffUsage!({ event: 'response.created', data: '{"type":"response.created","response":{"usage":null}}' })).toBeUndefined();
    expect(
      responses.sniffUsage!({
        event: 'response.completed',
        data: '{"type":"response.completed","response":{"usage":{"input_tokens":4,"output_tokens":6,"total_tokens":10,"input_tokens_details":{"cached_tokens":1},"output_tokens_details":{"reasoning_tokens":5}}}}',
      }),
    ).toEqual({ inputTokens: 4, outputTokens: 6, cachedInputTokens: 1, reasoningTokens: 5, totalTokens: 10 });
  });
});
