import type { Ordering, RingGroup } from '../ordering';
import type { Candidate } from '../types';

/**
 * Orders one priority group's candidates for one request. `advance` is true only for the group
 * that will actually serve the request, so failover lists and peeks never skew the rotation.
 * State is keyed by stable candidate keys (account id × upstream model), so it survives reloads.
 * Groups come in ring order (`byKey`, sorted once per usable set) and never change afterwards,
 * so a strategy may keep what it derives from one; the answer is read lazily (`Ordering`), so a
 * request pays for the candidates it takes, not for the size of the group.
 */
export interface Strategy {
  order(key: string, group: RingGroup, advance: boolean): Ordering;
}

/** What places a candidate in the ring. */
export interface RingKey {
  account: { id: string };
  upstreamModel: string;
}

/**
 * Stable ring order: by account id then upstream model, independent of config order. Same order
 * as comparing `candidateKey`s (the separator sorts below every id character), without building
 * the strings on every comparison.
 */
export function byKey(a: RingKey, b: RingKey): number {
  const ia = a.account.id;
  const ib = b.account.id;
  if (ia !== ib) return ia < ib ? -1 : 1;
  const ma = a.upstreamModel;
  const mb = b.upstreamModel;
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

/** True when `list` is already ordered by `cmp` (O(n)); callers sort only when it is not. */
export function isSorted(list: readonly Candidate[], cmp: (a: Candidate, b: Candidate) => number): boolean {
  for (let i = 1; i < list.length; i++) if (cmp(list[i - 1], list[i]) > 0) return false;
  return true;
}

/** The list in ring order: itself when already sorted (the usual case), else a sorted copy. */
export function inKeyOrder(group: readonly Candidate[]): readonly Candidate[] {
  return isSorted(group, byKey) ? group : [...group].sort(byKey);
}
