import { describe, expect, it } from 'vitest';
import { ChatPassthroughGuard } from '../../../../../src-main/engine/protocols/openai-chat';
import { openaiResponsesProtocol as responses, ResponsesPassthroughGuard } from '../../../../../src-main/engine/protocols/openai-responses';
import { SseDecoder } from '../../../../../src-main/engine/sse';
import { chatStreamEvents } from '../../../../fakes/upstreams/openai-chat-upstream';
import { responsesStreamEvents } from '../../../../fakes/upstreams/openai-responses-upstream';
import type { Scenario } from '../../../../fakes/upstreams/openai-chat-upstream';
import { decodeSseText, parseSseText } from '../openai-chat/golden';

/** Forward a fake upstream's stream through the guard, as the passthrough relay would. */
function forward(text: string): { appended: string; whole: string } {
  const guard = new ResponsesPassthroughGuard();
  const sse = new SseDecoder();
  for (const ev of [...sse.push(Buffer.from(text)), ...sse.end()]) guard.push(ev);
  const appended = guard.end();
  return { appended, whole: text + appended };
}

const stream = (s: Scenario) => responsesStreamEvents(s, 'gpt-5-codex').join('');

describe('ResponsesPassthroughGuard', () => {
  it('adds nothing to a stream that ended with response.completed', () => {
    expect(forward(stream({ text: ['hi'] })).appended).toBe('');
    expect(forward(stream({ text: ['hi'], finishReason: 'length' })).appended).toBe('');
  });

  it('completes a stream whose items were all closed, continuing the sequence numbers', () => {
    const { appended, whole } = forward(stream({ text: ['Hello'], toolCalls: [{ id: 'call_1', name: 'f', arguments: '{}' }], quirks: { omitCompleted: true } }));
    const events = parseSseText(appended);
    expect(events.map((e) => e.event)).toEqual(['response.completed']);
    const last = parseSseText(whole).at(-2)?.data as { sequence_number: number };
    expect(events[0].data).toMatchObject({ sequence_number: last.sequence_number + 1, response: { id: 'resp_fake', status: 'completed', model: 'gpt-5-codex' } });
    const output = (events[0].data as { response: { output: Array<{ type: string }> } }).response.output;
    expect(output.map((o) => o.type)).toEqual(['message', 'function_call']);
    expect(decodeSseText(whole, responses.createStreamDecoder()).at(-1)).toMatchObject({ type: 'finish', reason: 'tool-calls' });
  });

  it('fails a stream cut inside an item', () => {
    const { appended } = forward(stream({ text: ['a', 'b', 'c'], quirks: { dropAfterEvents: 2 } }));
    const events = parseSseText(appended);
    expect(events.map((e) => e.event)).toEqual(['error', 'response.failed']);
    expect(events[1].data).toMatchObject({ response: { status: 'failed', error: { code: 'stream_disconnected' } } });
  });
});

describe('ChatPassthroughGuard', () => {
  it('appends [DONE] only when the upstream did not send it', () => {
    const run = (s: Scenario) => {
      const guard = new ChatPassthroughGuard();
      const sse = new SseDecoder();
      for (const ev of [...sse.push(Buffer.from(chatStreamEvents(s, 'm', true).join(''))), ...sse.end()]) guard.push(ev);
      return guard.end();
    };
    expect(run({ text: ['x'] })).toBe('');
    expect(run({ text: ['x'], quirks: { omitDone: true } })).toBe('data: [DONE]\n\n');
  });
});
