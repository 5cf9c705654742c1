import { describe, expect, it } from 'vitest';
import { CooldownBook, type CooldownEntry, type CooldownStore } from '../../../../src-main/engine/routing/cooldown-book';
import { FakeClock } from './helpers';

const rate = { kind: 'rate-limit' as const, scope: 'model' as const };

class MemoryStore implements CooldownStore {
  saved: CooldownEntry[][] = [];
  async load() {
    return this.saved.at(-1) ?? [];
  }
  async save(entries: CooldownEntry[]) {
    this.saved.push(entries);
  }
}

describe('CooldownBook', () => {
  it('a hint-less 429 backs off 1 s doubling per consecutive 429, capped at 30 min', () => {
    const clock = new FakeClock();
    const book = new CooldownBook({ clock });
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const e = book.markFailure('a', 'm', rate)!;
      waits.push(e.until - clock.now());
      clock.t = e.until; // retried exactly when it frees up, and 429s again
    }
    expect(waits.slice(0, 6)).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
    expect(Math.max(...waits)).toBe(30 * 60_000);
    expect(waits.at(-1)).toBe(30 * 60_000);
  });

  it('429s from requests already in flight do not escalate the backoff', () => {
    const clock = new FakeClock();
    const book = new CooldownBook({ clock });
    for (let i = 0; i < 8; i++) book.markFailure('a', 'm', rate);
    expect(book.nextFreeAt('a', 'm')).toBe(clock.now() + 1000);
    clock.advance(1000);
    expect(book.markFailure('a', 'm', rate)!.until).toBe(clock.now() + 2000);
  });

  it('success clears the cooldown and the backoff level', () => {
    const clock = new FakeClock();
    const book = new CooldownBook({ clock });
    book.markFailure('a', 'm', rate);
    clock.advance(1000);
    expect(book.markFailure('a', 'm', rate)!.level).toBe(1);
    book.markSuccess('a', 'm');
    expect(book.isCooling('a', 'm')).toBe(false);
    expect(book.markFailure('a', 'm', rate)!.until - clock.now()).toBe(1000);
  });

  it('the account returns exactly when its window resets, and the entry is gone', () => {
    const clock = new FakeClock();
    const book = new CooldownBook({ clock });
    const until = clock.now() + 3_600_000;
    book.markFailure('a', 'm', { kind: 'quota', scope: 'model', cooldownUntil: until, hint: 'codex-resets-at' });
    clock.t = until - 1;
    expect(book.isCooling('a', 'm')).toBe(true);
    expect(book.nextFreeAt('a', 'm')).toBe(until);
    clock.t = until;
    expect(book.isCooling('a', 'm')).toBe(false);
    expect(book.nextFreeAt('a', 'm')).toBeUndefined();
    expect(book.entries()).toEqual([]);
  });

  it('per account × model: another model of the same account stays usable', () => {
    const book = new CooldownBook({ clock: new FakeClock() });
    book.markFailure('a', 'm1', rate);
    expect(book.isCooling('a', 'm1')).toBe(true);
    expect(book.isCooling('a', 'm2')).toBe(false);
    expect(book.isCooling('b', 'm1')).toBe(false);
  });

  it('account-scoped failures bench every model of the account', () => {
    const clock = new FakeClock();
    const book = new CooldownBook({ clock });
    book.markFailure('a', 'm1', { kind: 'auth', scope: 'account', cooldownUntil: clock.now() + 1_800_000 });
    expect(book.isCooling('a', 'm2')).toBe(true);
    expect(book.isCooling('a')).toBe(true);
    expect(book.entryFor('a', 'm2')).toMatchObject({ model: '', reason: 'auth' });
  });

  it('failures without a cooldown (invalid request, other) write nothing', () => {
    const book = new CooldownBook({ clock: new FakeClock() });
    expect(book.markFailure('a', 'm', { kind: 'invalid-request', scope: 'model' })).toBeUndefined();
    expect(book.entries()).toEqual([]);
  });

  it('does not shorten a longer known rest unless a fresh hint says so', () => {
    const clock = new FakeClock();
    const book = new CooldownBook({ clock });
    const long = clock.now() + 600_000;
    book.markFailure('a', 'm', { kind: 'quota', scope: 'model', cooldownUntil: long, hint: 'x' });
    book.markFailure('a', 'm', { kind: 'transient', scope: 'model', cooldownUntil: clock.now() + 60_000 });
    expect(book.nextFreeAt('a', 'm')).toBe(long);
    book.markFailure('a', 'm', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 5000, hint: 'retry-after' });
    expect(book.nextFreeAt('a', 'm')).toBe(clock.now() + 5000);
  });

  it('manual reset: one account, one model, one account × model, or all', () => {
    const clock = new FakeClock();
    const book = new CooldownBook({ clock });
    const fill = () => {
      book.reset();
      book.markFailure('a', 'm1', rate);
      book.markFailure('a', 'm2', rate);
      book.markFailure('b', 'm1', rate);
      book.markFailure('b', 'x', { kind: 'auth', scope: 'account', cooldownUntil: clock.now() + 1000 });
    };
    fill();
    expect(book.reset({ accountId: 'a' })).toBe(2);
    expect(book.entries().map((e) => `${e.accountId}/${e.model}`).sort()).toEqual(['b/', 'b/m1']);
    fill();
    expect(book.reset({ model: 'm1' })).toBe(2);
    expect(book.entries().map((e) => `${e.accountId}/${e.model}`).sort()).toEqual(['a/m2', 'b/']);
    fill();
    expect(book.reset({ accountId: 'b', model: 'm1' })).toBe(2);
    expect(book.isCooling('b', 'm1')).toBe(false);
    fill();
    expect(book.reset()).toBe(4);
    expect(book.entries()).toEqual([]);
  });

  it('disable-cooling: nothing is benched, and turning it on lifts current cooldowns', () => {
    const book = new CooldownBook({ clock: new FakeClock() });
    book.markFailure('a', 'm', rate);
    book.setDisabled(true);
    expect(book.isCooling('a', 'm')).toBe(false);
    expect(book.markFailure('a', 'm', rate)).toBeUndefined();
    book.setDisabled(false);
    expect(book.isCooling('a', 'm')).toBe(false);
    expect(new CooldownBook({ clock: new FakeClock() }).markFailure('a', 'm', rate, { disableCooling: true })).toBeUndefined();
  });

  it('persists debounced in one batch, restores only live entries', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const book = new CooldownBook({ clock, store, saveDelayMs: 10_000 });
    book.markFailure('a', 'm', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 60_000, hint: 'h' });
    book.markFailure('b', 'm', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 5_000, hint: 'h' });
    book.markFailure('c', 'm', rate);
    expect(store.saved).toHaveLength(0); // nothing written on the request path
    await book.flush();
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]).toHaveLength(3);

    clock.advance(10_000);
    const again = new CooldownBook({ clock, store });
    expect(await again.restore()).toBe(1);
    expect(again.isCooling('a', 'm')).toBe(true);
    expect(again.isCooling('b', 'm')).toBe(false);
  });
});
