import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkModelName, jsonNestsDeeperThan } from '../../../../src-main/engine/server/client-input';

const b = (s: string) => Buffer.from(s);

describe('client input bounds', () => {
  it('measures JSON nesting in one pass, ignoring brackets inside strings and escapes', () => {
    expect(jsonNestsDeeperThan(b('{"a":[1,{"b":2}]}'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(b('{"a":[1,{"b":[2]}]}'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(b(`{"s":"${'['.repeat(100)}"}`), 2)).toBe(false);
    expect(jsonNestsDeeperThan(b(`{"s":"\\"${'{'.repeat(100)}"}`), 2)).toBe(false);
    expect(jsonNestsDeeperThan(b('['.repeat(100_000)), 512)).toBe(true);
  });

  it('decides exactly as a byte-by-byte scan does, for any bytes (strings skipped to their closing quote)', () => {
    // The reference: the JSON grammar's own rule, one byte at a time (a backslash in a string takes the next byte).
    const reference = (raw: Uint8Array, max: number): boolean => {
      let depth = 0;
      let inString = false;
      for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        if (inString) {
          if (c === 0x5c) i++;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) {
          if (++depth > max) return true;
        } else if (c === 0x7d || c === 0x5d) depth--;
      }
      return false;
    };
    const jsonish = fc.array(fc.constantFrom('"', '\\', '{', '}', '[', ']', 'a', ':', ','), { maxLength: 60 }).map((cs) => Buffer.from(cs.join('')));
    fc.assert(
      fc.property(jsonish, fc.integer({ min: 0, max: 4 }), (raw, max) => jsonNestsDeeperThan(raw, max) === reference(raw, max)),
      { numRuns: 5000 },
    );
    expect(jsonNestsDeeperThan(b(`["x\\\\", [1]]`), 1)).toBe(true); // the string ends after an escaped backslash
    expect(jsonNestsDeeperThan(b(`["x\\", [1]]`), 1)).toBe(false); // an escaped quote: the rest is string
    expect(jsonNestsDeeperThan(b(`["x\\\\\\", [1]]`), 1)).toBe(false); // three: the last one escapes the quote
  });

  it('accepts a model name up to 256 characters and refuses longer or non-strings', () => {
    expect(checkModelName('  gpt-5 ')).toEqual({ model: 'gpt-5' });
    expect(checkModelName('x'.repeat(256))).toEqual({ model: 'x'.repeat(256) });
    expect(checkModelName('x'.repeat(257))).toMatchObject({ status: 400 });
    expect(checkModelName(42)).toMatchObject({ status: 400 });
    expect(checkModelName('   ')).toMatchObject({ status: 400 });
  });
});
