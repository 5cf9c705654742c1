import type { routingStrategies } from '../../../src-shared/config/schema';
import { FillFirst } from './strategies/fill-first';
import { RoundRobin } from './strategies/round-robin';
import { inKeyOrder, type Strategy } from './strategies/strategy';
import { WeightedRoundRobin } from './strategies/weighted-round-robin';
import type { Candidate } from './types';

export type RoutingStrategy = (typeof routingStrategies)[number];

export interface OrderOptions {
  /** false = look without moving the rotation (checks like "is anything free?"). Default true. */
  advance?: boolean;
}

/**
 * Orders the candidates of one request (PROTOCOLS.md §6.2): disabled and unavailable (cooling)
 * ones dropped, highest `priority` group first, each group by the strategy. Lower groups follow as
 * the failover tail. One Selector lives for the engine's lifetime; config reloads only change the
 * strategy name, so cursors (keyed by stable account ids) carry over.
 */
export class Selector {
  private readonly strategies: Record<RoutingStrategy, Strategy> = {
    'round-robin': new RoundRobin(),
    'fill-first': new FillFirst(),
    'weighted-round-robin': new WeightedRoundRobin(),
  };

  /**
   * Each candidate list in ring order, sorted once: the catalog hands out the same list for a
   * model until accounts or config change, so requests walk it without sorting (weak: a list
   * nobody holds any more drops its entry).
   */
  private readonly rings = new WeakMap<readonly Candidate[], readonly Candidate[]>();

  constructor(private strategy: RoutingStrategy = 'round-robin') {}

  setStrategy(strategy: RoutingStrategy): void {
    this.strategy = strategy;
  }

  getStrategy(): RoutingStrategy {
    return this.strategy;
  }

  /** `key` names the rotation (the client model id); candidates come from the catalog. */
  order(
    key: string,
    candidates: readonly Candidate[],
    isAvailable: (c: Candidate) => boolean,
    opts: OrderOptions = {},
  ): Candidate[] {
    let ring = this.rings.get(candidates);
    if (!ring) this.rings.set(candidates, (ring = inKeyOrder(candidates)));
    const strategy = this.strategies[this.strategy] ?? this.strategies['round-robin'];
    const advance = opts.advance !== false;
    // The usual config has one priority level: its candidates, in ring order, are the one group.
    const usable: Candidate[] = [];
    let level = 0;
    let levels = 0;
    for (const c of ring) {
      if (c.account.disabled || !isAvailable(c)) continue;
      const p = priorityOf(c);
      if (levels === 0 || (levels === 1 && p !== level)) levels++;
      if (usable.length === 0) level = p;
      usable.push(c);
    }
    if (levels === 0) return [];
    if (levels === 1) return strategy.order(`${key}\u0000${level}`, usable, advance);
    // Groups keep ring order, so the strategies find them sorted.
    const groups = new Map<number, Candidate[]>();
    for (const c of usable) {
      const p = priorityOf(c);
      let g = groups.get(p);
      if (!g) groups.set(p, (g = []));
      g.push(c);
    }
    const out: Candidate[] = [];
    const priorities = [...groups.keys()].sort((a, b) => b - a);
    priorities.forEach((p, i) => {
      // Each priority level rotates on its own cursor, so a fallback group keeps its own fairness.
      out.push(...strategy.order(`${key}\u0000${p}`, groups.get(p)!, i === 0 && advance));
    });
    return out;
  }
}

function priorityOf(c: Candidate): number {
  return Number.isFinite(c.account.priority) ? c.account.priority : 0;
}
