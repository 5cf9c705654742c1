import { describe, expect, it } from 'vitest';
import { findTopLevelString, rewriteTopLevelModel, spliceTopLevelModel } from '../../../../src-main/engine/pipeline/model-rewrite';

const rw = (s: string, m: string) => rewriteTopLevelModel(Buffer.from(s), m).toString();

describe('rewriteTopLevelModel', () => {
  it('replaces only the top-level model value and keeps every other byte', () => {
    const body = '{ "messages":[{"role":"user","content":"model: \\"x\\""}],\n  "model" : "alias",  "stream":true}';
    expect(rw(body, 'upstream/real-1')).toBe(body.replace('"alias"', '"upstream/real-1"'));
  });

  it('ignores a nested "model" key that comes first', () => {
    const body = '{"metadata":{"model":"nested"},"model":"top"}';
    expect(rw(body, 'new')).toBe('{"metadata":{"model":"nested"},"model":"new"}');
  });

  it('escapes the new name as JSON', () => {
    expect(JSON.parse(rw('{"model":"a"}', 'we"ird'))).toEqual({ model: 'we"ird' });
  });

  it('inserts a model when the body has none', () => {
    expect(JSON.parse(rw('{"messages":[]}', 'm'))).toEqual({ model: 'm', messages: [] });
    expect(JSON.parse(rw('{}', 'm'))).toEqual({ model: 'm' });
  });

  it('finds string values with escaped quotes and unicode', () => {
    const raw = Buffer.from('{"a":"x\\"y","model":"é"}');
    const span = findTopLevelString(raw, 'model')!;
    expect(raw.subarray(span[0], span[1]).toString()).toBe('"é"');
  });
});

describe('spliceTopLevelModel', () => {
  it('gives views into the client bytes around the new value, never a copy of the body', () => {
    const raw = Buffer.from(`{"messages":[{"role":"user","content":"${'x'.repeat(4096)}"}],"model":"alias","stream":true}`);
    const pieces = spliceTopLevelModel(raw, 'real');
    expect(Buffer.concat(pieces).toString()).toBe(raw.toString().replace('"alias"', '"real"'));
    const big = pieces.filter((p) => p.length > 64);
    expect(big.length).toBeGreaterThan(0);
    // A view shares the client's ArrayBuffer; a joined copy would have its own.
    for (const p of big) expect(p.buffer).toBe(raw.buffer);
  });
});

