import { Rotation, type Ordering, type RingGroup } from '../ordering';
import type { Candidate } from '../types';
import { byKey, type RingKey, type Strategy } from './strategy';

/**
 * Classic rotation, remembered as "the last candidate served" rather than an index: when a
 * candidate cools down or the config changes, the ring continues after the same account instead of
 * shifting everyone by one (which is what makes index cursors unfair under churn). Finding where
 * to go on is a binary search of the ring, and the rotation is a view of it: O(log n) a request.
 */
export class RoundRobin implements Strategy {
  /** Per rotation, the (account id, upstream model) served last. */
  private readonly last = new Map<string, RingKey>();

  order(key: string, group: RingGroup, advance: boolean): Ordering {
    const ring = group.members;
    if (ring.length === 0) return [];
    const prev = this.last.get(key);
    const start = prev === undefined ? 0 : firstAfter(ring, prev);
    if (advance) {
      const c = ring[start];
      this.last.set(key, { account: { id: c.account.id }, upstreamModel: c.upstreamModel });
    }
    return new Rotation(group, start);
  }
}

/** Index of the first candidate that sorts after `prev` (binary search: the ring is sorted), 0 when none. */
function firstAfter(ring: readonly Candidate[], prev: RingKey): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byKey(ring[mid], prev) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo === ring.length ? 0 : lo;
}
