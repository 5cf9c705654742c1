import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../src-renderer/api/sse-parser';

function parse(chunks: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const p = new SseParser((e, d) => out.push([e, d]));
  for (const c of chunks) p.push(c);
  return out;
}

describe('SseParser', () => {
  it('reads named events, ignores comments and joins multi-line data', () => {
    expect(parse([': connected\n\nevent: app:quota:updated\ndata: {"a":1}\n\ndata: x\ndata: y\n\n'])).toEqual([
      ['app:quota:updated', '{"a":1}'],
      ['message', 'x\ny'],
    ]);
  });

  it('handles chunks split anywhere, including inside CRLF', () => {
    const text = 'event: e1\r\ndata: {"n":1}\r\n\r\nevent: e2\r\ndata: 2\r\n\r\n';
    for (let i = 1; i < text.length; i++) {
      expect(parse([text.slice(0, i), text.slice(i)])).toEqual([
        ['e1', '{"n":1}'],
        ['e2', '2'],
      ]);
    }
  });

  it('emits nothing for an event without data', () => {
    expect(parse(['event: lonely\n\n'])).toEqual([]);
  });
});
