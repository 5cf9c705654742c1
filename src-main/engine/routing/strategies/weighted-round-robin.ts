import type { Ordering, RingGroup } from '../ordering';
import { candidateKey, type Candidate } from '../types';
import { byKey, type Strategy } from './strategy';

/**
 * Smooth weighted round-robin (the nginx scheme): every pick adds each weight to a running score,
 * serves the highest score and takes the total off it. Over N picks each candidate gets within one
 * of N·w/W, interleaved rather than in bursts. Weight ≤ 0 excludes a candidate. Every pick
 * moves every score, so this strategy costs O(n log n) a request (the others: O(log n)).
 */
export class WeightedRoundRobin implements Strategy {
  private readonly scores = new Map<string, Map<string, number>>();

  order(key: string, group: RingGroup, advance: boolean): Ordering {
    const live = group.members.filter((c) => weightOf(c) > 0);
    if (live.length === 0) return [];
    const prev = this.scores.get(key) ?? new Map<string, number>();
    // Only present candidates keep a score: bounded memory, and a returning one starts neutral.
    const next = new Map<string, number>();
    let total = 0;
    for (const c of live) {
      const w = weightOf(c);
      total += w;
      next.set(candidateKey(c), (prev.get(candidateKey(c)) ?? 0) + w);
    }
    const ranked = [...live].sort((a, b) => next.get(candidateKey(b))! - next.get(candidateKey(a))! || byKey(a, b));
    if (advance) {
      const winner = candidateKey(ranked[0]);
      next.set(winner, next.get(winner)! - total);
      this.scores.set(key, next);
    }
    return ranked;
  }
}

function weightOf(c: Candidate): number {
  const w = c.account.weight;
  return Number.isFinite(w) ? Math.min(w, 1_000_000) : 1;
}
