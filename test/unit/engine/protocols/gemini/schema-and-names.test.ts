import { describe, expect, it } from 'vitest';
import { cleanSchemaForGemini, GeminiToolNames, sanitizeGeminiFunctionName } from '../../../../../src-main/engine/protocols/gemini';

describe('cleanSchemaForGemini', () => {
  it('inlines $ref from $defs/definitions and cuts recursive references', () => {
    const out = cleanSchemaForGemini({
      type: 'object',
      definitions: { Node: { type: 'object', properties: { child: { $ref: '#/definitions/Node' }, name: { type: 'string' } } } },
      properties: { root: { $ref: '#/definitions/Node', description: 'the root' } },
    });
    expect(out).toEqual({
      type: 'object',
      properties: {
        root: {
          type: 'object',
          description: 'the root',
          properties: { child: { type: 'object', description: 'Recursive reference to Node' }, name: { type: 'string' } },
        },
      },
    });
  });

  it('turns type arrays and null branches into nullable, and keeps the richest anyOf branch with a hint', () => {
    const out = cleanSchemaForGemini({
      type: 'object',
      properties: {
        a: { type: ['string', 'null'] },
        b: { oneOf: [{ type: 'string' }, { type: 'object', properties: { x: { type: 'number' } } }] },
      },
    });
    expect(out.properties).toEqual({
      a: { type: 'string', nullable: true },
      b: { type: 'object', description: 'Accepts: string | object', properties: { x: { type: 'number' } } },
    });
  });

  it('stringifies enums and const, and moves unsupported constraints into the description', () => {
    const out = cleanSchemaForGemini({
      type: 'object',
      properties: {
        level: { type: 'integer', enum: [1, 2, 3] },
        mode: { const: 'fast', description: 'Mode' },
        tags: { type: 'array', items: { type: 'string', format: 'uri' }, minItems: 1, uniqueItems: true },
        when: { type: 'string', format: 'date-time' },
      },
      patternProperties: { '^x': {} },
      'x-internal': true,
      $schema: 'https://json-schema.org/draft/2020-12/schema',
    });
    expect(out).toEqual({
      type: 'object',
      properties: {
        level: { type: 'string', enum: ['1', '2', '3'] },
        mode: { type: 'string', enum: ['fast'], description: 'Mode' },
        tags: { type: 'array', description: 'minItems: 1; uniqueItems: true', items: { type: 'string', description: 'format: "uri"' } },
        when: { type: 'string', format: 'date-time' },
      },
    });
  });

  it('drops required names that are not properties and gives empty objects a placeholder when asked', () => {
    expect(cleanSchemaForGemini({ type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost', 'a'] }).required).toEqual(['a']);
    expect(cleanSchemaForGemini({}, { placeholderForEmptyObjects: true })).toEqual({
      type: 'object',
      properties: { _placeholder: { type: 'boolean', description: 'Placeholder; leave unset.' } },
    });
    expect(cleanSchemaForGemini(undefined)).toEqual({ type: 'object', properties: {} });
  });

  it('survives absurd nesting without blowing the stack', () => {
    let s: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 200; i++) s = { type: 'object', properties: { n: s } };
    expect(() => cleanSchemaForGemini(s)).not.toThrow();
  });
});

describe('Gemini function names', () => {
  it('keeps legal names (case included) and rewrites illegal characters', () => {
    expect(sanitizeGeminiFunctionName('Read_File.v2:x-y')).toBe('Read_File.v2:x-y');
    expect(sanitizeGeminiFunctionName('read file/now')).toBe('read_file_now');
    expect(sanitizeGeminiFunctionName('9lives')).toBe('_9lives');
    expect(sanitizeGeminiFunctionName('a'.repeat(80))).toHaveLength(64);
  });

  it('gives colliding originals distinct names and remembers how to restore them', () => {
    const names = new GeminiToolNames();
    const a = names.sanitize('get weather');
    const b = names.sanitize('get/weather');
    const c = names.sanitize('get_weather');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(names.sanitize('get weather')).toBe(a);
    expect(names.restore.get(a)).toBe('get weather');
    expect(names.restore.get(b)).toBe('get/weather');
    expect(names.restore.get(c)).toBe('get_weather');
  });
});
