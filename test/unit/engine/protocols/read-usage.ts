import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IrUsage } from '../../../../src-main/engine/ir';
import type { Protocol } from '../../../../src-main/engine/protocols/protocol';
import { FIXTURES } from './golden';

/** A response body found in a fixture folder, named after its file. */
export interface FixtureBody {
  name: string;
  body: unknown;
}

/**
 * Every JSON file of `dir` (relative to test/fixtures/) as a response body: the whole file, or
 * its `field` when the folder wraps each case (`{ input, expected }`).
 */
export function fixtureBodies(dir: string, field?: 'input' | 'expected'): FixtureBody[] {
  const full = join(FIXTURES, dir);
  return readdirSync(full)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const json = JSON.parse(readFileSync(join(full, f), 'utf8')) as Record<string, unknown>;
      return { name: `${dir}/${f}`, body: field ? json[field] : json };
    });
}

/** What the passthrough recorded before `readUsage`: the full decoder's usage (a throw: none). */
function decodedUsage(protocol: Protocol, body: unknown): IrUsage | undefined {
  try {
    return protocol.decodeResponse(body).usage;
  } catch {
    return undefined;
  }
}

/**
 * Bodies no upstream should send, built around the format's usage object: the reader must not
 * throw on any, and a count that is not a non-negative integer never shows up as a number.
 */
export function strangeBodies(usageKey: string, countKeys: readonly string[]): unknown[] {
  const withCounts = (v: unknown) => ({ [usageKey]: Object.fromEntries(countKeys.map((k) => [k, v])) });
  return [
    undefined,
    null,
    42,
    'usage',
    [],
    [{ [usageKey]: { [countKeys[0]]: 1 } }],
    {},
    { [usageKey]: null },
    { [usageKey]: 'lots' },
    { [usageKey]: [1, 2] },
    withCounts('12'),
    withCounts(-3),
    withCounts(1.5),
    withCounts(Number.NaN),
    withCounts(null),
    withCounts({ value: 3 }),
    { [usageKey]: { prompt_tokens_details: null, completion_tokens_details: null, input_tokens_details: null, output_tokens_details: null } },
    { [usageKey]: { prompt_tokens_details: { cached_tokens: null }, input_tokens_details: 'x', output_tokens_details: [7] } },
    JSON.parse(`{"__proto__": {"${usageKey}": {"${countKeys[0]}": 5}}}`) as unknown,
  ];
}

/** The shared specification of one format's `readUsage`. */
export function describeReadUsage(protocol: Protocol, bodies: FixtureBody[], usageKey: string, countKeys: readonly string[]): void {
  describe(`${protocol.id} readUsage`, () => {
    const readUsage = protocol.readUsage!;

    it('is declared by the format', () => {
      expect(typeof protocol.readUsage).toBe('function');
    });

    it.each(bodies.map((b) => [b.name, b.body] as const))('gives the full decoder’s usage for %s', (_name, body) => {
      expect(readUsage(body)).toEqual(decodedUsage(protocol, body));
    });

    it('has fixtures with usage to compare (the comparison is not vacuous)', () => {
      expect(bodies.some((b) => decodedUsage(protocol, b.body) !== undefined)).toBe(true);
    });

    it.each(strangeBodies(usageKey, countKeys).map((b) => [JSON.stringify(b) ?? String(b), b] as const))(
      'does not throw on %s, and keeps only non-negative integer counts',
      (_name, body) => {
        const usage = readUsage(body);
        for (const v of Object.values(usage ?? {})) expect(Number.isSafeInteger(v) && (v as number) >= 0).toBe(true);
      },
    );
  });
}
