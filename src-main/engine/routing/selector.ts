import type { routingStrategies } from '../../../src-shared/config/schema';
import { Chain, toArray, type Ordering } from './ordering';
import { FillFirst } from './strategies/fill-first';
import { RoundRobin } from './strategies/round-robin';
import type { Strategy } from './strategies/strategy';
import { WeightedRoundRobin } from './strategies/weighted-round-robin';
import type { Candidate } from './types';
import { usableSetOf, type UsableSet } from './usable-set';

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

  constructor(private strategy: RoutingStrategy = 'round-robin') {}

  setStrategy(strategy: RoutingStrategy): void {
    this.strategy = strategy;
  }

  getStrategy(): RoutingStrategy {
    return this.strategy;
  }

  /**
   * The order of a usable set (the request path: `UsableCache` keeps the set), read lazily.
   * `key` names the rotation (the client model id).
   */
  plan(key: string, usable: UsableSet, opts: OrderOptions = {}): Ordering {
    const strategy = this.strategies[this.strategy] ?? this.strategies['round-robin'];
    const advance = opts.advance !== false;
    const groups = usable.groups;
    if (groups.length === 0) return [];
    // Each priority level rotates on its own cursor, so a fallback group keeps its own fairness;
    // only the top group serves the request, so only its rotation moves.
    if (groups.length === 1) return strategy.order(`${key}\u0000${groups[0].priority}`, groups[0], advance);
    return new Chain(groups.map((g, i) => strategy.order(`${key}\u0000${g.priority}`, g, i === 0 && advance)));
  }

  /** The whole order of a candidate list checked against `isAvailable` now (previews, tests). */
  order(key: string, candidates: readonly Candidate[], isAvailable: (c: Candidate) => boolean, opts: OrderOptions = {}): Candidate[] {
    return toArray(this.plan(key, usableSetOf(candidates, isAvailable), opts));
  }
}
