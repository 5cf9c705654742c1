import { describe, expect, it } from 'vitest';
import { ConversationHistory, itemsBytes } from '../../../../../src-main/engine/server/responses-websocket/history';

const msg = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const call = { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{}' };
const result = { type: 'function_call_output', call_id: 'call_1', output: 'ok' };

function history(maxResponses = 8, maxBytes = 1_000_000) {
  return new ConversationHistory({ maxResponses, maxBytes: () => maxBytes });
}

describe('ConversationHistory (previous_response_id without server-side storage)', () => {
  it('a request without previous_response_id is its own input', () => {
    const h = history();
    expect(h.rebuild(undefined, [msg('hi')])).toEqual({ items: [msg('hi')], bytes: itemsBytes([msg('hi')]) });
  });

  it('continues a chain: earlier input, then the earlier output, then the new items', () => {
    const h = history();
    const first = h.rebuild(undefined, [msg('dev'), msg('hi')]);
    if (!('items' in first)) throw new Error('rebuild failed');
    h.remember('resp_1', first, [call]);
    const second = h.rebuild('resp_1', [result]);
    expect('items' in second && second.items).toEqual([msg('dev'), msg('hi'), call, result]);
    if (!('items' in second)) return;
    h.remember('resp_2', second, [msg('the answer')]);
    const third = h.rebuild('resp_2', [msg('thanks')]);
    expect('items' in third && third.items.length).toBe(6);
  });

  it('forks: two requests may continue the same response', () => {
    const h = history();
    h.remember('resp_1', { items: [msg('a')], bytes: 10 }, [msg('b')]);
    const x = h.rebuild('resp_1', [msg('x')]);
    const y = h.rebuild('resp_1', [msg('y')]);
    expect('items' in x && x.items.map((i) => (i.content as Array<{ text: string }>)[0].text)).toEqual(['a', 'b', 'x']);
    expect('items' in y && y.items.map((i) => (i.content as Array<{ text: string }>)[0].text)).toEqual(['a', 'b', 'y']);
  });

  it('reports an unknown previous response', () => {
    expect(history().rebuild('resp_nope', [msg('hi')])).toEqual({ missing: true });
  });

  it('refuses a conversation larger than the byte limit', () => {
    const h = history(8, 100);
    const r = h.rebuild(undefined, [msg('x'.repeat(200))]);
    expect('tooLarge' in r && r.tooLarge).toBeGreaterThan(100);
  });

  it('forgets the oldest response beyond the count limit', () => {
    const h = history(2);
    for (const id of ['r1', 'r2', 'r3']) h.remember(id, { items: [], bytes: 0 }, [msg(id)]);
    expect(h.has('r1')).toBe(false);
    expect(h.has('r2')).toBe(true);
    expect(h.has('r3')).toBe(true);
  });
});
