import { describe, expect, it, vi } from 'vitest';

/**
 * What held in the hostile probe, kept: client keys are compared in constant time. Every
 * configured key is compared (no early exit on a match) through crypto.timingSafeEqual on
 * equal-length digests, whatever the length of the presented key.
 */
const calls: Array<[number, number]> = [];
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push([a.byteLength, b.byteLength]);
      return real.timingSafeEqual(a, b);
    },
  };
});

const { matchClientKey } = await import('../../../../src-main/engine/server/client-auth');

describe('client key compare', () => {
  it('compares against every key with timingSafeEqual on equal-length digests', () => {
    const keys = ['k-first', 'k-second-much-longer-key', 'k3'];
    for (const presented of ['k-first', 'x', 'k-second-much-longer-key'.repeat(10), '']) {
      calls.length = 0;
      matchClientKey(presented, keys);
      expect(calls).toHaveLength(keys.length);
      for (const [a, b] of calls) expect(a).toBe(b);
    }
  });
});
