import type { Ordering, RingGroup } from '../ordering';
import type { Candidate } from '../types';
import { byKey, isSorted, type Strategy } from './strategy';

/**
 * Always the first available account in config/sign-in order (`account.order`), so one account is
 * drained before the next is touched. Stateless: cooldowns are what move traffic on. Groups never
 * change once made, so each is sorted once.
 */
export class FillFirst implements Strategy {
  private readonly sorted = new WeakMap<RingGroup, readonly Candidate[]>();

  order(_key: string, group: RingGroup): Ordering {
    let list = this.sorted.get(group);
    if (!list) {
      const members = group.members;
      this.sorted.set(group, (list = isSorted(members, byOrder) ? members : [...members].sort(byOrder)));
    }
    return list;
  }
}

function byOrder(a: Candidate, b: Candidate): number {
  return a.account.order - b.account.order || byKey(a, b);
}
