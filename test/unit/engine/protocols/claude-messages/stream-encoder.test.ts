import { describe, expect, it } from 'vitest';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';
import { claudeMessagesProtocol as claude } from '../../../../../src-main/engine/protocols/claude-messages';
import { parseSse } from './golden';

type Ev = { event?: string; data: any };

function encode(parts: IrStreamPart[], toolNames?: Map<string, string>): Ev[] {
  const enc = claude.createStreamEncoder({ clientModel: 'client-model', toolNames });
  return parseSse(parts.map((p) => enc.push(p)).join('') + enc.end());
}

/** The invariants the Anthropic SDK's MessageStream relies on. */
function expectWellFormed(events: Ev[]): void {
  expect(events[0].event).toBe('message_start');
  const open = new Set<number>();
  let next = 0;
  for (const ev of events.slice(1)) {
    expect(ev.event).not.toBe('message_start');
    if (ev.event === 'content_block_start') {
      expect(ev.data.index).toBe(next++);
      open.add(ev.data.index);
    }
    if (ev.event === 'content_block_delta') expect(open.has(ev.data.index)).toBe(true);
    if (ev.event === 'content_block_stop') {
      expect(open.has(ev.data.index)).toBe(true);
      open.delete(ev.data.index);
    }
  }
  expect(open.size).toBe(0);
  expect(events.at(-2)?.event).toBe('message_delta');
  expect(events.at(-1)?.event).toBe('message_stop');
}

describe('Claude stream encoder', () => {
  it('emits message_start before a tool block that comes first, with no start part at all (reference bug #561)', () => {
    const events = encode([
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'search' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":1}' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    expectWellFormed(events);
    expect(events[1].data.content_block).toEqual({ type: 'tool_use', id: 'call_1', name: 'search', input: {} });
    expect(events.at(-2)?.data.delta.stop_reason).toBe('tool_use');
  });

  it('emits message_start, message_delta and message_stop for an empty stream ended by end()', () => {
    const events = encode([]);
    expect(events.map((e) => e.event)).toEqual(['message_start', 'message_delta', 'message_stop']);
  });

  it('keeps block indices contiguous across thinking, text and several tool calls', () => {
    const events = encode([
      { type: 'start', id: 'msg_x', model: 'm', created: 1 },
      { type: 'reasoning-delta', text: 'a' },
      { type: 'reasoning-signature', signature: 's' },
      { type: 'text-delta', text: 'b' },
      { type: 'tool-call-start', index: 0, id: 't0', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-start', index: 1, id: 't1', name: 'g' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"x":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '2}' },
      { type: 'text-delta', text: 'after tools' },
      { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 3, outputTokens: 4 } },
    ]);
    expectWellFormed(events);
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block.type);
    expect(starts).toEqual(['thinking', 'text', 'tool_use', 'tool_use', 'text']);
    expect(events.at(-2)?.data.usage).toEqual({ input_tokens: 3, output_tokens: 4 });
  });

  it('restores client tool names and keeps one id per call for the whole stream', () => {
    const events = encode(
      [
        { type: 'tool-call-start', index: 0, id: '', name: 'mcp__a_b' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
        { type: 'finish', reason: 'tool-calls' },
      ],
      new Map([['mcp__a_b', 'mcp__a-b']]),
    );
    const block = events.find((e) => e.event === 'content_block_start')?.data.content_block;
    expect(block.name).toBe('mcp__a-b');
    expect(block.id).toMatch(/^toolu_[A-Za-z0-9_]+$/);
  });

  it('turns an error part into `event: error` and writes nothing after it', () => {
    const enc = claude.createStreamEncoder({ clientModel: 'm' });
    const text =
      enc.push({ type: 'text-delta', text: 'hi' }) +
      enc.push({ type: 'error', error: { status: 529, message: 'Overloaded', code: 'overloaded_error' } }) +
      enc.push({ type: 'text-delta', text: 'late' }) +
      enc.end();
    const events = parseSse(text);
    expect(events.at(-1)).toEqual({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);
  });

  it('puts usage known before the first content into message_start', () => {
    const events = encode([
      { type: 'start', id: 'msg_1', model: 'm', created: 1 },
      { type: 'usage', usage: { inputTokens: 50, outputTokens: 1, cachedInputTokens: 40, cacheWriteTokens: 5 } },
      { type: 'text-delta', text: 'x' },
      { type: 'finish', reason: 'length', usage: { inputTokens: 50, outputTokens: 9, cachedInputTokens: 40, cacheWriteTokens: 5 } },
    ]);
    expect(events[0].data.message.usage).toEqual({ input_tokens: 5, output_tokens: 1, cache_creation_input_tokens: 5, cache_read_input_tokens: 40 });
    expect(events.at(-2)?.data.delta.stop_reason).toBe('max_tokens');
    expect(events.at(-2)?.data.usage.output_tokens).toBe(9);
  });
});

describe('text deltas on the wire', () => {
  it('each is one content_block_delta event whose data is the JSON of the documented object, any text escaped', () => {
    const enc = claude.createStreamEncoder({ clientModel: 'm' });
    enc.push({ type: 'start', id: 'msg_1', model: 'm', created: 1 });
    enc.push({ type: 'text-delta', text: 'first' });
    const text = 'quote " backslash \\ newline \n tab \t emoji 🚀 control \u0001 lone \ud800';
    const wire = enc.push({ type: 'text-delta', text });
    const data = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } };
    expect(wire).toBe(`event: content_block_delta\ndata: ${JSON.stringify(data)}\n\n`);
    expect(JSON.parse(wire.slice(wire.indexOf('data: ') + 6))).toEqual(data);
  });

  it('carry the index of the text block they belong to (after a thinking block: 1)', () => {
    const events = encode([
      { type: 'start', id: 'msg_1', model: 'm', created: 1 },
      { type: 'reasoning-delta', text: 'hmm' },
      { type: 'text-delta', text: 'answer' },
    ]);
    const delta = events.find((e) => e.event === 'content_block_delta' && e.data.delta.type === 'text_delta');
    expect(delta?.data).toEqual({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'answer' } });
  });
});
