import { describe, expect, it } from 'vitest';
import { parseClientMessage, warmupEvents } from '../../../../../src-main/engine/server/responses-websocket/messages';

describe('response.create messages', () => {
  it('splits socket fields from the body that goes upstream', () => {
    const m = parseClientMessage({ type: 'response.create', model: 'gpt-5.5', input: [], tools: [{ type: 'function', name: 'f' }], store: false, stream: true, generate: false, previous_response_id: 'resp_1', include: ['reasoning.encrypted_content'] });
    expect(m).toEqual({
      model: 'gpt-5.5',
      input: [],
      previousResponseId: 'resp_1',
      generate: false,
      rest: { model: 'gpt-5.5', tools: [{ type: 'function', name: 'f' }], store: false, include: ['reasoning.encrypted_content'] },
    });
  });

  it('reads a string input as one user message, as POST /v1/responses does', () => {
    const m = parseClientMessage({ type: 'response.create', model: 'm', input: 'hi' });
    expect(m).toMatchObject({ input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }], generate: true });
  });

  it('accepts the body inside a `response` envelope', () => {
    expect(parseClientMessage({ type: 'response.create', response: { model: 'm', input: 'hi' } })).toMatchObject({ model: 'm' });
  });

  it('names the problem of a bad message', () => {
    expect(parseClientMessage({ type: 'response.create' })).toMatchObject({ status: 400, details: { param: 'model' } });
    expect(parseClientMessage({ type: 'response.create', model: 'm', input: 5 })).toMatchObject({ status: 400, details: { param: 'input' } });
    expect(parseClientMessage({ type: 'response.cancel' })).toMatchObject({ status: 400, code: 'unknown_event_type' });
    expect(parseClientMessage([1])).toMatchObject({ status: 400 });
  });
});

describe('warm-up answer', () => {
  it('is response.created then response.completed of one empty response', () => {
    const { id, events } = warmupEvents('gpt-5.5', 1_700_000_000_000);
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.completed']);
    expect(events[1]).toMatchObject({ sequence_number: 1, response: { id, object: 'response', status: 'completed', model: 'gpt-5.5', output: [], created_at: 1_700_000_000, usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 } } });
    expect(id).toMatch(/^resp_/);
  });
});
