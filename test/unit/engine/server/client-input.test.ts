import { describe, expect, it } from 'vitest';
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

  it('accepts a model name up to 256 characters and refuses longer or non-strings', () => {
    expect(checkModelName('  gpt-5 ')).toEqual({ model: 'gpt-5' });
    expect(checkModelName('x'.repeat(256))).toEqual({ model: 'x'.repeat(256) });
    expect(checkModelName('x'.repeat(257))).toMatchObject({ status: 400 });
    expect(checkModelName(42)).toMatchObject({ status: 400 });
    expect(checkModelName('   ')).toMatchObject({ status: 400 });
  });
});
