import { describe, expect, it } from 'vitest';
import { createOllamaProtocol } from '../../../../../src-main/engine/protocols/ollama';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';

/** A clock that advances by the given nanosecond steps, one per reading. */
function steppingClock(...readings: number[]): () => bigint {
  let i = 0;
  return () => BigInt(readings[Math.min(i++, readings.length - 1)]);
}

function lines(text: string): Array<Record<string, unknown>> {
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Ollama request decoding (docs/api.md shapes)', () => {
  const chat = createOllamaProtocol('chat');

  it('maps options, format and think onto the neutral request', () => {
    const ir = chat.decodeRequest(
      { model: 'm', format: 'json', think: 'high', options: { temperature: 0.5, top_p: 0.9, top_k: 40, num_predict: 128, stop: 'x', seed: 7 }, messages: [{ role: 'user', content: 'hi' }] },
      { model: 'm', stream: true },
    );
    expect(ir).toMatchObject({ model: 'm', stream: true, temperature: 0.5, topP: 0.9, topK: 40, maxOutputTokens: 128, stopSequences: ['x'], seed: 7, responseFormat: { type: 'json' }, reasoning: { enabled: true, effort: 'high' } });
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    expect(chat.decodeRequest({ model: 'm', format: schema, options: { num_predict: -1 } }, {})).toMatchObject({ responseFormat: { type: 'json-schema', schema } });
    expect(chat.decodeRequest({ model: 'm', options: { num_predict: -1 } }, {}).maxOutputTokens).toBeUndefined();
  });

  it('pairs `tool` results with the earliest unanswered call of that name', () => {
    const ir = chat.decodeRequest(
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: '', tool_calls: [{ function: { name: 'a', arguments: { n: 1 } } }, { function: { name: 'b', arguments: {} } }] },
          { role: 'tool', content: 'B', tool_name: 'b' },
          { role: 'tool', content: 'A', tool_name: 'a' },
        ],
      },
      {},
    );
    const calls = ir.messages[1].parts.filter((p) => p.type === 'tool-call');
    expect(calls).toEqual([
      { type: 'tool-call', id: 'call_1_0', name: 'a', arguments: '{"n":1}' },
      { type: 'tool-call', id: 'call_1_1', name: 'b', arguments: '{}' },
    ]);
    expect(ir.messages[2]).toEqual({
      role: 'tool',
      parts: [
        { type: 'tool-result', callId: 'call_1_1', name: 'b', content: [{ type: 'text', text: 'B' }] },
        { type: 'tool-result', callId: 'call_1_0', name: 'a', content: [{ type: 'text', text: 'A' }] },
      ],
    });
  });

  it('refuses a `tool` message that answers no call, and a non-object body, with a 400', () => {
    expect(() => chat.decodeRequest({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, {})).toThrow(/must follow an assistant message/);
    expect(() => chat.decodeRequest({ model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, {})).toThrow(/messages\.0\.role/);
  });
});

describe('Ollama NDJSON stream encoding', () => {
  it('writes deltas, one whole tool call, then the closing object with nanosecond durations', () => {
    // readings: start 1000, first token 4000, durations() end 10000
    const p = createOllamaProtocol('chat', steppingClock(1000, 4000, 10000));
    const enc = p.createStreamEncoder({ clientModel: 'my-model' });
    const parts: IrStreamPart[] = [
      { type: 'start', id: 'r', model: 'up', created: 1 },
      { type: 'text-delta', text: 'Hi' },
      { type: 'tool-call-start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ':1}' },
      { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 12, outputTokens: 5 } },
    ];
    const out = lines(parts.map((x) => enc.push(x)).join('') + enc.end());
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ model: 'my-model', message: { role: 'assistant', content: 'Hi' }, done: false });
    expect(out[1]).toMatchObject({ message: { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: { index: 0, name: 'f', arguments: { a: 1 } } }] }, done: false });
    expect(out[2]).toMatchObject({
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 12,
      eval_count: 5,
      total_duration: 9000,
      load_duration: 0,
      prompt_eval_duration: 3000,
      eval_duration: 6000,
    });
  });

  it('generate streams `response` and reports a max-tokens end as done_reason "length"', () => {
    const enc = createOllamaProtocol('generate').createStreamEncoder({ clientModel: 'g' });
    const out = lines(enc.push({ type: 'text-delta', text: 'ab' }) + enc.push({ type: 'finish', reason: 'length' }) + enc.end());
    expect(out.map((o) => [o.response, o.done, o.done_reason])).toEqual([
      ['ab', false, undefined],
      ['', true, 'length'],
    ]);
  });

  it('a stream that ends without finish still closes once; an error is a lone {"error"} line', () => {
    const enc = createOllamaProtocol('chat').createStreamEncoder({ clientModel: 'g' });
    expect(lines(enc.end())).toEqual([expect.objectContaining({ done: true, done_reason: 'stop' })]);
    const failing = createOllamaProtocol('chat').createStreamEncoder({ clientModel: 'g' });
    expect(failing.push({ type: 'error', error: { status: 529, message: 'overloaded' } })).toBe('{"error":"overloaded"}\n');
    expect(failing.end()).toBe('');
  });
});
