import { describe, expect, it } from 'vitest';
import { MAX_TOOL_NAME, openaiToolNames, reverseRenames, shortenToolNames } from '../../../../../src-main/engine/protocols/openai-responses';

describe('shortenToolNames (Codex 64-character limit)', () => {
  it('leaves names that fit untouched', () => {
    const map = shortenToolNames(['read_file', 'x'.repeat(64)]);
    expect([...map]).toEqual([
      ['read_file', 'read_file'],
      ['x'.repeat(64), 'x'.repeat(64)],
    ]);
    expect(reverseRenames(map)).toBeUndefined();
  });

  it('keeps mcp__ and the last segment of long MCP names', () => {
    const name = `mcp__${'server'.repeat(12)}__list_directory`;
    expect(shortenToolNames([name]).get(name)).toBe('mcp__list_directory');
  });

  it('truncates other long names and resolves collisions with _1, _2 within the limit', () => {
    const base = 'n'.repeat(70);
    const names = [`${base}a`, `${base}b`, `${base}c`];
    const map = shortenToolNames(names);
    const shorts = names.map((n) => map.get(n)!);
    expect(shorts[0]).toBe('n'.repeat(64));
    expect(shorts[1]).toBe(`${'n'.repeat(62)}_1`);
    expect(shorts[2]).toBe(`${'n'.repeat(62)}_2`);
    for (const s of shorts) expect(s.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
  });

  it('never takes a name the client already uses', () => {
    const long = `mcp__${'s'.repeat(70)}__read`;
    const map = shortenToolNames([long, 'mcp__read']);
    expect(map.get('mcp__read')).toBe('mcp__read');
    expect(map.get(long)).toBe('mcp__read_1');
  });

  it('is deterministic, so follow-up turns map the same way, and reverses exactly', () => {
    const names = [`mcp__a__${'t'.repeat(80)}`, `mcp__b__${'t'.repeat(80)}`, 'short'];
    const a = shortenToolNames(names);
    const b = shortenToolNames([...names].reverse().reverse());
    expect([...a]).toEqual([...b]);
    const rev = reverseRenames(a)!;
    for (const n of names.slice(0, 2)) expect(rev.get(a.get(n)!)).toBe(n);
    expect(rev.has('short')).toBe(false);
  });
});

describe('openaiToolNames (OpenAI charset + 64 characters)', () => {
  it('replaces refused characters, keeps legal names, and avoids taking a legal name', () => {
    const map = openaiToolNames(['web.search', 'web_search', 'files/read v2', 'ok-name_1', `mcp__x__${'y'.repeat(70)}`]);
    expect(map.get('web_search')).toBe('web_search');
    expect(map.get('web.search')).toBe('web_search_1');
    expect(map.get('files/read v2')).toBe('files_read_v2');
    expect(map.get('ok-name_1')).toBe('ok-name_1');
    expect(map.get(`mcp__x__${'y'.repeat(70)}`)).toBe(`mcp__${'y'.repeat(59)}`);
    for (const v of map.values()) expect(v).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
