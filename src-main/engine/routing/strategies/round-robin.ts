import { candidateKey, type Candidate } from '../types';
import { inKeyOrder, type Strategy } from './strategy';

/**
 * Classic rotation, remembered as "the last candidate served" rather than an index: when a
 * candidate cools down or the config changes, the ring continues after the same account instead of
 * shifting everyone by one (which is what makes index cursors unfair under churn).
 */
export class RoundRobin implements Strategy {
  private readonly last = new Map<string, string>();

  order(key: string, group: readonly Candidate[], advance: boolean): Candidate[] {
    if (group.length === 0) return [];
    const ring = inKeyOrder(group);
    const prev = this.last.get(key);
    const start = prev === undefined ? 0 : firstAfter(ring, prev);
    const out = ring.slice(start).concat(ring.slice(0, start));
    if (advance) this.last.set(key, candidateKey(out[0]));
    return out;
  }
}

/** Index of the first candidate whose key sorts after `prev` (binary search: the ring is sorted), 0 when none. */
function firstAfter(ring: readonly Candidate[], prev: string): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (candidateKey(ring[mid]) > prev) hi = mid;
    else lo = mid + 1;
  }
  return lo === ring.length ? 0 : lo;
}
