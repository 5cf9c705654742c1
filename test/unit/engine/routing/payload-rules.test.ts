import { describe, expect, it } from 'vitest';
import { PayloadRules } from '../../../../src-main/engine/routing/payload-rules';
import { deletePath, hasPath, setPath, splitPath } from '../../../../src-main/engine/routing/json-path';

describe('payload rules', () => {
  const rules = new PayloadRules({
    default: [
      { models: [{ name: 'gemini-*', protocol: 'gemini' }], params: { 'generationConfig.thinkingConfig.thinkingBudget': 32768, 'generationConfig.temperature': 0.2 } },
      { models: [{ name: 'gemini-2.5-pro' }], params: { 'generationConfig.thinkingConfig.thinkingBudget': 1 } },
    ],
    override: [
      { models: [{ name: 'gpt-*', protocol: 'codex' }], params: { 'reasoning.effort': 'high' } },
      { models: [{ name: 'gpt-5*', protocol: 'openai-response' }], params: { 'reasoning.effort': 'low' } },
    ],
    'override-raw': [{ models: [{ name: '*sonnet*', protocol: 'claude' }], params: { metadata: '{"user_id":"u-1"}' } }],
    filter: [{ models: [{ name: '*', protocol: 'openai' }], params: ['stream_options', 'messages.0.name'] }],
  });

  it('default sets only missing paths; the first matching rule wins per field', () => {
    const body = { contents: [], generationConfig: { temperature: 0.9 } };
    const out = rules.apply(body, { model: 'gemini-2.5-pro', protocol: 'gemini' });
    expect(out).toEqual({ contents: [], generationConfig: { temperature: 0.9, thinkingConfig: { thinkingBudget: 32768 } } });
    expect(body).toEqual({ contents: [], generationConfig: { temperature: 0.9 } }); // input untouched
  });

  it('override always sets; the last matching rule wins', () => {
    const out = rules.apply({ model: 'gpt-5', reasoning: { effort: 'minimal' } }, { model: 'gpt-5', protocol: 'openai-responses' });
    expect(out.reasoning).toEqual({ effort: 'low' });
    const other = rules.apply({ model: 'gpt-4.1' }, { model: 'gpt-4.1', protocol: 'openai-responses' });
    expect(other.reasoning).toEqual({ effort: 'high' });
  });

  it('raw values are JSON text', () => {
    expect(rules.apply({}, { model: 'claude-sonnet-4-5', protocol: 'claude-messages' })).toEqual({ metadata: { user_id: 'u-1' } });
  });

  it('filter deletes paths, including array elements', () => {
    const out = rules.apply(
      { model: 'x', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi', name: 'n' }] },
      { model: 'x', protocol: 'openai-chat' },
    );
    expect(out).toEqual({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
  });

  it('protocol must match when given; the client-visible model matches too', () => {
    const body = { a: 1 };
    expect(rules.apply(body, { model: 'gemini-2.0-flash', protocol: 'claude-messages' })).toBe(body);
    const viaAlias = rules.apply({}, { model: 'upstream-x', clientModel: 'gpt-5-alias', protocol: 'openai-responses' });
    expect(viaAlias.reasoning).toEqual({ effort: 'low' });
  });

  it('provider words match the provider when it is known', () => {
    const r = new PayloadRules({ override: [{ models: [{ name: '*', protocol: 'antigravity' }], params: { x: 1 } }] });
    expect(r.apply({}, { model: 'm', protocol: 'gemini', provider: 'antigravity' })).toEqual({ x: 1 });
    expect(r.apply({}, { model: 'm', protocol: 'gemini', provider: 'gemini-api' })).toEqual({});
  });

  it('is empty without rules and reports bad raw JSON', () => {
    expect(new PayloadRules(undefined).isEmpty()).toBe(true);
    expect(new PayloadRules({ default: [], override: [], filter: [] }).isEmpty()).toBe(true);
    const bad = new PayloadRules({ 'default-raw': [{ models: [{ name: '*' }], params: { a: '{nope' } }] });
    expect(bad.warnings[0]).toMatch(/not valid JSON/);
  });
});

describe('json paths', () => {
  it('splits with escaped dots and walks arrays', () => {
    expect(splitPath('a.b\\.c.0')).toEqual(['a', 'b.c', '0']);
    const o: Record<string, unknown> = { list: [{ v: 1 }] };
    expect(hasPath(o, 'list.0.v')).toBe(true);
    expect(hasPath(o, 'list.1.v')).toBe(false);
    expect(setPath(o, 'list.0.w', 2)).toBe(true);
    expect(setPath(o, 'new.0.x', 3)).toBe(true);
    expect(o).toEqual({ list: [{ v: 1, w: 2 }], new: [{ x: 3 }] });
    expect(deletePath(o, 'list.0')).toBe(true);
    expect(o.list).toEqual([]);
  });

  it('refuses prototype keys and scalars in the way', () => {
    const o: Record<string, unknown> = { s: 'text' };
    expect(setPath(o, '__proto__.polluted', true)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(setPath(o, 's.x', 1)).toBe(false);
  });
});
