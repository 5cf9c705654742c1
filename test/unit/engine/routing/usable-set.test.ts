import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../../../src-shared/config/schema';
import { AuthBlocks } from '../../../../src-main/engine/routing/auth-blocks';
import { CooldownBook } from '../../../../src-main/engine/routing/cooldown-book';
import { toArray } from '../../../../src-main/engine/routing/ordering';
import { Routing } from '../../../../src-main/engine/routing';
import { Selector, type RoutingStrategy } from '../../../../src-main/engine/routing/selector';
import { UsableCache } from '../../../../src-main/engine/routing/usable-set';
import type { Candidate } from '../../../../src-main/engine/routing/types';
import type { Account } from '../../../../src-main/engine/providers/provider';
import { account, FakeClock } from './helpers';

/**
 * Requests read a cached split of their candidate list (usable-set.ts) and a lazy order over it.
 * That must answer exactly what checking every candidate now answers (PROTOCOLS.md §6.2): the
 * reference below is the rule written out plainly — usable = enabled, not cooling, not blocked;
 * highest priority first; round-robin continues after the last one served in (account id,
 * model) order, one cursor per priority level, only the top level's moving; fill-first by config
 * order. Any mix of cooldowns set, expiring and lifted, blocks set and lifted by a new credential,
 * `disable-cooling` toggled and time passing, for every strategy, in any interleaving.
 */
type Op =
  | { t: 'request' }
  | { t: 'peek' }
  | { t: 'cool'; acct: number; model: number; wholeAccount: boolean; ms: number }
  | { t: 'success'; acct: number; model: number }
  | { t: 'block'; acct: number }
  | { t: 'newCredential'; acct: number }
  | { t: 'reset' }
  | { t: 'disableCooling'; on: boolean }
  | { t: 'time'; ms: number };

const MODELS = ['m-a', 'm-b'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Op>({ t: 'request' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ t: 'peek' }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('cool' as const), acct: fc.nat(11), model: fc.nat(1), wholeAccount: fc.boolean(), ms: fc.integer({ min: 1, max: 5000 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('success' as const), acct: fc.nat(11), model: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('block' as const), acct: fc.nat(11) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('newCredential' as const), acct: fc.nat(11) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ t: 'reset' }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('disableCooling' as const), on: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 3000 }) }) },
);

const poolArb = fc.array(
  fc.record({ priority: fc.constantFrom(0, 0, 1, 5), disabled: fc.integer({ min: 0, max: 9 }).map((n) => n < 2), models: fc.constantFrom([0], [1], [0, 1]) }),
  { minLength: 1, maxLength: 12 },
);

const keyOf = (c: Candidate) => `${c.account.id}\u0000${c.upstreamModel}`;
const ids = (list: readonly Candidate[]) => list.map(keyOf);

/** The rule written out: what a request must see, given who is usable right now. */
class Reference {
  private readonly last = new Map<string, string>();
  constructor(private readonly strategy: RoutingStrategy) {}

  order(key: string, list: readonly Candidate[], usable: (c: Candidate) => boolean, advance: boolean): Candidate[] {
    const live = list.filter((c) => !c.account.disabled && usable(c));
    const levels = [...new Set(live.map((c) => c.account.priority))].sort((a, b) => b - a);
    return levels.flatMap((p, i) => {
      const group = live.filter((c) => c.account.priority === p);
      if (this.strategy === 'fill-first') return [...group].sort((a, b) => a.account.order - b.account.order || (keyOf(a) < keyOf(b) ? -1 : 1));
      const ring = [...group].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
      const prev = this.last.get(`${key}/${p}`);
      const start = Math.max(0, prev === undefined ? 0 : ring.findIndex((c) => keyOf(c) > prev));
      const out = [...ring.slice(start), ...ring.slice(0, start)];
      if (i === 0 && advance) this.last.set(`${key}/${p}`, keyOf(out[0]));
      return out;
    });
  }
}

function world(pool: ReadonlyArray<{ priority: number; disabled: boolean; models: readonly number[] }>) {
  const clock = new FakeClock();
  const credential = new Map<string, number>();
  const book = new CooldownBook({ clock });
  const blocks = new AuthBlocks((a) => `cred-${credential.get(a.id) ?? 0}`);
  // Config order differs from id order on purpose: the ring must not depend on it.
  const accounts: Account[] = pool.map((p, i) => account({ id: `acct-${String((i * 7) % 13).padStart(2, '0')}`, priority: p.priority, disabled: p.disabled, order: pool.length - i }));
  const candidates: Candidate[] = pool.flatMap((p, i) => p.models.map((m) => ({ account: accounts[i], upstreamModel: MODELS[m], clientModel: 'pool' })));
  const usableNow = (c: Candidate) => !book.isCooling(c.account.id, c.upstreamModel) && !blocks.get(c.account);
  return { clock, credential, book, blocks, accounts, candidates, usableNow };
}

describe('UsableCache + lazy order', () => {
  for (const strategy of ['round-robin', 'fill-first'] as const) {
    it(`${strategy}: any history of cooldowns, blocks and time gives the order the rule gives`, () => {
      fc.assert(
        fc.property(poolArb, fc.array(opArb, { minLength: 1, maxLength: 60 }), (pool, ops) => {
          const w = world(pool);
          const cache = new UsableCache(w.book, w.blocks, w.clock);
          const selector = new Selector(strategy);
          const reference = new Reference(strategy);
          const pick = (i: number) => w.accounts[i % w.accounts.length];
          for (const op of ops) {
            if (op.t === 'request' || op.t === 'peek') {
              const advance = op.t === 'request';
              // The cache is asked first: asking the book and blocks directly drops expired entries
              // and lifted blocks on the way, which would tell the cache what it must find out itself.
              const usable = cache.of(w.candidates);
              const got = ids(toArray(selector.plan('pool', usable, { advance })));
              const left = ids(usable.left);
              expect(got).toEqual(ids(reference.order('pool', w.candidates, w.usableNow, advance)));
              expect(left).toEqual(ids(w.candidates.filter((c) => c.account.disabled || !w.usableNow(c))));
            } else if (op.t === 'cool') {
              w.book.markFailure(pick(op.acct).id, MODELS[op.model], { kind: 'quota', cooldownUntil: w.clock.now() + op.ms, scope: op.wholeAccount ? 'account' : 'model', hint: 'test' });
            } else if (op.t === 'success') {
              w.book.markSuccess(pick(op.acct).id, MODELS[op.model]);
              w.blocks.clear(pick(op.acct).id);
            } else if (op.t === 'block') {
              const a = pick(op.acct);
              w.blocks.block({ account: a, upstreamModel: MODELS[0], clientModel: 'pool' }, 401, 'pool', undefined, w.clock.now());
            } else if (op.t === 'newCredential') {
              const a = pick(op.acct);
              w.credential.set(a.id, (w.credential.get(a.id) ?? 0) + 1);
            } else if (op.t === 'reset') w.book.reset();
            else if (op.t === 'disableCooling') w.book.setDisabled(op.on);
            else w.clock.advance(op.ms);
          }
        }),
        { numRuns: 400, seed: 20261205 },
      );
    });
  }

  it('weighted-round-robin: the cached split orders exactly like a split checked now', () => {
    fc.assert(
      fc.property(poolArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }), fc.array(opArb, { maxLength: 40 }), (pool, weights, ops) => {
        const w = world(pool);
        w.accounts.forEach((a, i) => (a.weight = weights[i]));
        const cache = new UsableCache(w.book, w.blocks, w.clock);
        const cached = new Selector('weighted-round-robin');
        const checked = new Selector('weighted-round-robin');
        for (const op of ops) {
          if (op.t === 'request' || op.t === 'peek') {
            const advance = op.t === 'request';
            const got = ids(toArray(cached.plan('pool', cache.of(w.candidates), { advance })));
            expect(got).toEqual(ids(checked.order('pool', w.candidates, w.usableNow, { advance })));
          } else if (op.t === 'cool') w.book.markFailure(w.accounts[op.acct % w.accounts.length].id, MODELS[op.model], { kind: 'quota', cooldownUntil: w.clock.now() + op.ms, scope: 'model', hint: 'test' });
          else if (op.t === 'time') w.clock.advance(op.ms);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('selection cost does not grow with the pool', () => {
  it('with 1,000 accounts, requests after the first check no account, and a cooldown is seen at once', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => account({ id: `k-${String(i).padStart(4, '0')}`, provider: 'claude', kind: 'api-key' }));
    const clock = new FakeClock();
    const config = configSchema.parse({});
    const routing = new Routing({ accounts: () => accounts, config: () => config, defaultModels: () => ['claude-sonnet-4-6'], clock });
    const served = () => routing.begin('claude-sonnet-4-6')!.next()!.account.id;
    expect(served()).toBe('k-0000');
    const checks = vi.spyOn(routing.book, 'isCooling');
    for (let i = 1; i < 200; i++) expect(served()).toBe(`k-${String(i).padStart(4, '0')}`);
    expect(checks).not.toHaveBeenCalled();
    // A cooldown set by another request is seen by the very next one.
    routing.book.markFailure('k-0200', 'claude-sonnet-4-6', { kind: 'rate-limit', cooldownUntil: clock.now() + 60_000, scope: 'model', hint: 'retry-after' });
    expect(served()).toBe('k-0201');
    // And its end is seen when it comes, with no other change.
    clock.advance(60_000);
    const round = new Set(Array.from({ length: 1000 }, served));
    expect(round.size).toBe(1000);
    expect(round.has('k-0200')).toBe(true);
    const session = routing.begin('claude-sonnet-4-6')!;
    expect(session.skipped()).toEqual([]);
  });

  it('a named capability narrows the pool once per candidate list; requests reuse it', () => {
    const accounts = Array.from({ length: 10 }, (_, i) => account({ id: `k-${i}`, provider: i % 2 ? 'claude' : 'codex', kind: 'api-key' }));
    const config = configSchema.parse({});
    const routing = new Routing({ accounts: () => accounts, config: () => config, defaultModels: () => ['m'], clock: new FakeClock() });
    const onlyClaude = (c: Candidate) => c.account.provider === 'claude';
    const first = routing.begin('m', { capable: onlyClaude, capability: 'count-tokens' })!;
    const again = routing.begin('m', { capable: (c) => c.account.provider === 'claude', capability: 'count-tokens' })!;
    expect(first.resolution.candidates.map((c) => c.account.id)).toEqual(['k-1', 'k-3', 'k-5', 'k-7', 'k-9']);
    expect(again.resolution.candidates).toBe(first.resolution.candidates);
    expect([first.next()!.account.id, again.next()!.account.id]).toEqual(['k-1', 'k-3']);
    // Unnamed checks may depend on the request: filtered each time.
    expect(routing.begin('m', { capable: onlyClaude })!.resolution.candidates).not.toBe(first.resolution.candidates);
    expect(routing.begin('m', { capable: onlyClaude, capability: 'other' })!.resolution.candidates).toEqual(first.resolution.candidates);
  });

  it('a request names at most 20 of the accounts it passes over, always including the one free soonest', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => account({ id: `k-${String(i).padStart(4, '0')}`, provider: 'claude', kind: 'api-key' }));
    const clock = new FakeClock();
    const config = configSchema.parse({});
    const routing = new Routing({ accounts: () => accounts, config: () => config, defaultModels: () => ['m'], clock });
    // 500 resting for an hour or more; the one free first sits far down the list.
    for (let i = 0; i < 1000; i += 2) routing.book.markFailure(accounts[i].id, 'm', { kind: 'rate-limit', cooldownUntil: clock.now() + 3_600_000 + i * 1000, scope: 'model', hint: 'retry-after' });
    routing.book.markFailure('k-0900', 'm', { kind: 'rate-limit', cooldownUntil: clock.now() + 60_000, scope: 'model', hint: 'retry-after' });
    const skipped = routing.begin('m')!.skipped();
    expect(skipped).toHaveLength(20);
    expect(skipped.map((s) => s.candidate.account.id)).toEqual([...Array.from({ length: 19 }, (_, i) => `k-${String(i * 2).padStart(4, '0')}`), 'k-0900']);
    expect(Math.min(...skipped.map((s) => s.until!))).toBe(clock.now() + 60_000);
    expect(skipped.at(-1)!.reason).toMatch(/^cooling until .* \(1m0s left; rate-limit\)$/);
    // Twenty or fewer: every one, in list order.
    routing.resetCooldowns();
    for (const i of [7, 3, 5]) routing.book.markFailure(accounts[i].id, 'm', { kind: 'quota', cooldownUntil: clock.now() + 1000 * i, scope: 'model', hint: 'test' });
    expect(routing.begin('m')!.skipped().map((s) => s.candidate.account.id)).toEqual(['k-0003', 'k-0005', 'k-0007']);
  });
});
