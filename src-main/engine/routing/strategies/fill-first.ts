import type { Candidate } from '../types';
import { byKey, isSorted, type Strategy } from './strategy';

/**
 * Always the first available account in config/sign-in order (`account.order`), so one account is
 * drained before the next is touched. Stateless: cooldowns are what move traffic on.
 */
export class FillFirst implements Strategy {
  order(_key: string, group: readonly Candidate[]): Candidate[] {
    return isSorted(group, byOrder) ? [...group] : [...group].sort(byOrder);
  }
}

function byOrder(a: Candidate, b: Candidate): number {
  return a.account.order - b.account.order || byKey(a, b);
}
