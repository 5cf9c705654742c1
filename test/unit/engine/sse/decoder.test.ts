import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SseDecoder, SseLineTooLongError } from '../../../../src-main/engine/sse/decoder';
import { encodeSse } from '../../../../src-main/engine/sse/encoder';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('SseDecoder', () => {
  it('emits an event as soon as its blank line arrives', () => {
    const d = new SseDecoder();
    expect(d.push(bytes('data: {"a":1}\n'))).toEqual([]);
    expect(d.push(bytes('\n'))).toEqual([{ data: '{"a":1}' }]);
  });

  it('reads CRLF framing and named events', () => {
    const d = new SseDecoder();
    const out = d.push(bytes('event: message_start\r\ndata: {"x":true}\r\n\r\nevent: ping\r\ndata: {}\r\n\r\n'));
    expect(out).toEqual([
      { event: 'message_start', data: '{"x":true}' },
      { event: 'ping', data: '{}' },
    ]);
  });

  it('keeps a UTF-8 character split across two chunks intact', () => {
    const whole = bytes('data: {"t":"héllo 世界 🚀"}\n\n');
    const cut = whole.indexOf(0xe4) + 1; // inside the 3-byte 世
    const d = new SseDecoder();
    const first = d.push(whole.subarray(0, cut));
    const second = d.push(whole.subarray(cut));
    expect([...first, ...second]).toEqual([{ data: '{"t":"héllo 世界 🚀"}' }]);
  });

  it('joins multi-line data and ignores comments', () => {
    const d = new SseDecoder();
    expect(d.push(bytes(': keep-alive\n\ndata: a\ndata: b\n\n'))).toEqual([{ data: 'a\nb' }]);
  });

  it('flushes a last event that lacks its blank line at end of input', () => {
    const d = new SseDecoder();
    expect(d.push(bytes('data: [DONE]'))).toEqual([]);
    expect(d.end()).toEqual([{ data: '[DONE]' }]);
  });
});

describe('SseDecoder line cap (limits.sse-line-kb)', () => {
  it('refuses a line longer than the cap even when it arrives in small pieces', () => {
    const d = new SseDecoder(100);
    d.push(bytes('data: '));
    for (let i = 0; i < 9; i++) d.push(bytes('x'.repeat(10)));
    expect(() => d.push(bytes('x'.repeat(10)))).toThrow(SseLineTooLongError);
  });

  it('refuses an event whose data lines add up past the cap', () => {
    const d = new SseDecoder(100);
    expect(() => {
      for (let i = 0; i < 20; i++) d.push(bytes(`data: ${'y'.repeat(8)}\n`));
    }).toThrow(/limits\.sse-line-kb/);
  });

  it('measures each line afresh: many events of normal size pass, CRLF split across chunks included', () => {
    const d = new SseDecoder(100);
    let seen = 0;
    for (let i = 0; i < 1000; i++) {
      seen += d.push(bytes(`data: ${'z'.repeat(40)}\r`)).length;
      seen += d.push(bytes('\n\r\n')).length;
    }
    expect(seen).toBe(1000);
  });
});

describe('encodeSse', () => {
  it('round-trips through the decoder', () => {
    const d = new SseDecoder();
    const ev = { event: 'content_block_delta', data: '{"delta":"x"}\nsecond line' };
    expect(d.push(bytes(encodeSse(ev)))).toEqual([ev]);
  });
});

describe('SseDecoder text: ASCII read directly, the UTF-8 decoder from the first other byte on', () => {
  it('strips a BOM that starts the stream, keeps one that comes after text, as a streaming UTF-8 decoder does', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(new SseDecoder().push(Buffer.concat([bom, bytes('data: a\n\n')]))).toEqual([{ data: 'a' }]);
    const later = new SseDecoder();
    expect(later.push(bytes('data: a'))).toEqual([]);
    expect(later.push(Buffer.concat([bom, bytes('b\n\n')]))).toEqual([{ data: 'a\uFEFFb' }]);
  });

  it('ASCII chunks, then a character split across chunks, then invalid bytes: the same text as one decoder over all bytes', () => {
    const parts = [bytes('data: {"t":"ab'), Buffer.from([0xe4, 0xb8]), Buffer.from([0x96, 0xff]), bytes('c"}\n\n')];
    const reference = new TextDecoder('utf-8').decode(Buffer.concat(parts)).slice(6, -2);
    const d = new SseDecoder();
    expect(parts.flatMap((p) => d.push(p))).toEqual([{ data: reference }]);
    expect(reference).toBe('{"t":"ab世\uFFFDc"}');
  });

  it('a chunk that is a Uint8Array view into a larger buffer is read at its own offset', () => {
    const whole = bytes('xxxxdata: v\n\nyyyy');
    expect(new SseDecoder().push(new Uint8Array(whole.buffer, whole.byteOffset + 4, whole.length - 8))).toEqual([{ data: 'v' }]);
  });
});

describe('SseDecoder line cap, however the bytes are cut', () => {
  /** The cap's rule over the whole text: a line, or an event's lines with their line ends, longer than the cap. */
  function overCap(text: string, max: number): boolean {
    const lines = text.split(/\r\n|\r|\n/);
    let event = 0;
    for (let i = 0; i < lines.length; i++) {
      const last = i === lines.length - 1;
      const len = lines[i].length;
      if (len > max) return true;
      if (last) return event + len > max;
      event = len === 0 ? 0 : event + len + 1;
      if (event > max) return true;
    }
    return false;
  }

  it('refuses exactly the streams whose lines or events pass the cap (LF, CR, CRLF, CRLF split across reads)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '\n', '\r', '\r\n'), { maxLength: 60 }), fc.array(fc.nat(60), { maxLength: 6 }), fc.integer({ min: 1, max: 12 }), (pieces, cuts, max) => {
        const text = pieces.join('');
        const at = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((x, y) => x - y);
        const chunks = [0, ...at, text.length].slice(1).map((end, i, all) => text.slice(i === 0 ? 0 : all[i - 1], end));
        const d = new SseDecoder(max);
        let threw = false;
        try {
          for (const c of chunks) d.push(bytes(c));
        } catch (err) {
          expect(err).toBeInstanceOf(SseLineTooLongError);
          threw = true;
        }
        expect(threw).toBe(overCap(text, max));
      }),
      { numRuns: 3000 },
    );
  });
});
