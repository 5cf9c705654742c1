import type { AuthBlocks } from './auth-blocks';
import type { CooldownBook } from './cooldown-book';
import { RingGroup } from './ordering';
import { inKeyOrder } from './strategies/strategy';
import type { Candidate, Clock } from './types';

/** One candidate list split by what can serve right now (PROTOCOLS.md §6.2). */
export interface UsableSet {
  /** Usable candidates by `priority`, highest first, each group in ring order. */
  readonly groups: readonly RingGroup[];
  /** Candidates left out (disabled, cooling, blocked for a rejected credential), in list order. */
  readonly left: readonly Candidate[];
  /** Of `left`, the enabled, unblocked one whose rest ends first (kept by `UsableCache` only). */
  readonly soonest?: Candidate;
}

/**
 * Each candidate list in ring order, sorted once: the catalog hands out the same list for a model
 * until accounts or config change (weak: a list nobody holds any more drops its entry).
 */
const rings = new WeakMap<readonly Candidate[], readonly Candidate[]>();

/**
 * Splits a list: disabled and unavailable candidates out, the rest grouped by priority in ring
 * order. `isAvailable` is asked once per enabled candidate.
 */
export function usableSetOf(candidates: readonly Candidate[], isAvailable: (c: Candidate) => boolean): UsableSet {
  let ring = rings.get(candidates);
  if (!ring) rings.set(candidates, (ring = inKeyOrder(candidates)));
  const out = new Set<Candidate>();
  const byPriority = new Map<number, Candidate[]>();
  for (const c of ring) {
    if (c.account.disabled || !isAvailable(c)) {
      out.add(c);
      continue;
    }
    const p = priorityOf(c);
    const g = byPriority.get(p);
    if (g) g.push(c);
    else byPriority.set(p, [c]);
  }
  const groups = [...byPriority.entries()].sort((a, b) => b[0] - a[0]).map(([p, members]) => new RingGroup(p, members));
  return { groups, left: out.size === 0 ? [] : candidates.filter((c) => out.has(c)) };
}

function priorityOf(c: Candidate): number {
  return Number.isFinite(c.account.priority) ? c.account.priority : 0;
}

interface Entry {
  set: UsableSet;
  bookGeneration: number;
  blocksGeneration: number;
  /** The first instant a cooldown in the book ends: from then on the split may be stale. */
  validUntil: number;
  /** Left-out candidates whose account has a credential block, re-checked on every use. */
  blocked: readonly Candidate[];
}

/**
 * The usable set of each candidate list, kept until availability may have changed: the cooldown
 * book or the credential blocks changed, a cooldown's end came, or a blocked account's credential
 * changed (a block lifts on that alone, with no other signal, so those few are looked at each
 * time). The catalog hands out the same list for a model until accounts or config change, so the
 * usual request reads a cached split instead of checking every account of the pool.
 */
export class UsableCache {
  private readonly entries = new WeakMap<readonly Candidate[], Entry>();

  constructor(
    private readonly book: CooldownBook,
    private readonly blocks: AuthBlocks,
    private readonly clock: Clock,
  ) {}

  /** Same question as `isAvailable` in the split: not cooling, not blocked. */
  readonly isAvailable = (c: Candidate): boolean => !this.book.isCooling(c.account.id, c.upstreamModel) && !this.blocks.get(c.account);

  of(candidates: readonly Candidate[]): UsableSet {
    const hit = this.entries.get(candidates);
    if (hit && this.fresh(hit)) return hit.set;
    const split = usableSetOf(candidates, this.isAvailable);
    const soonest = this.soonestOf(split.left);
    const set: UsableSet = soonest ? { ...split, soonest } : split;
    // Read after the split: looking may itself drop expired entries and lifted blocks.
    this.entries.set(candidates, {
      set,
      bookGeneration: this.book.generation,
      blocksGeneration: this.blocks.generation,
      validUntil: this.book.isDisabled() ? Infinity : this.book.earliestEnd(),
      blocked: set.left.filter((c) => !c.account.disabled && this.blocks.has(c.account.id)),
    });
    return set;
  }

  private soonestOf(left: readonly Candidate[]): Candidate | undefined {
    let best: Candidate | undefined;
    let bestAt = Infinity;
    for (const c of left) {
      if (c.account.disabled || this.blocks.get(c.account)) continue;
      const at = this.book.nextFreeAt(c.account.id, c.upstreamModel);
      if (at !== undefined && at < bestAt) [best, bestAt] = [c, at];
    }
    return best;
  }

  private fresh(e: Entry): boolean {
    if (e.bookGeneration !== this.book.generation || e.blocksGeneration !== this.blocks.generation) return false;
    if (this.clock.now() >= e.validUntil) return false;
    for (const c of e.blocked) this.blocks.get(c.account);
    return e.blocksGeneration === this.blocks.generation;
  }
}
