import { candidateKey, type Candidate } from '../types';
import { byKey, type Strategy } from './strategy';

/**
 * Classic rotation, remembered as "the last candidate served" rather than an index: when a
 * candidate cools down or the config changes, the ring continues after the same account instead of
 * shifting everyone by one (which is what makes index cursors unfair under churn).
 */
export class RoundRobin implements Strategy {
  private readonly last = new Map<string, string>();

  order(key: string, group: readonly Candidate[], advance: boolean): Candidate[] {
    if (group.length === 0) return [];
    const ring = [...group].sort(byKey);
    const prev = this.last.get(key);
    let start = 0;
    if (prev !== undefined) {
      const i = ring.findIndex((c) => candidateKey(c) > prev);
      start = i === -1 ? 0 : i;
    }
    const out = ring.slice(start).concat(ring.slice(0, start));
    if (advance) this.last.set(key, candidateKey(out[0]));
    return out;
  }
}
