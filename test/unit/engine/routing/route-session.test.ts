import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../../src-shared/config/schema';
import { Routing } from '../../../../src-main/engine/routing';
import { account, FakeClock, outcomeOf } from './helpers';

/**
 * A route session holds one request's walk through its candidates; the long-lived Routing keeps
 * none of it. The rotation moves once per pass, and only when a pass starts: queries never move it.
 */
function setup(cfg: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const accts = ['a', 'b', 'c'].map((id) => account({ id, models: [{ name: 'm' }] }));
  const config = configSchema.parse({ routing: { strategy: 'round-robin' }, ...cfg });
  return { clock, routing: new Routing({ accounts: () => accts, config: () => config, defaultModels: () => [], clock }) };
}

const firstOf = (routing: Routing) => {
  const s = routing.begin('m')!;
  const c = s.next()!;
  s.report(c, { ok: true });
  return c.account.id;
};

describe('RouteSession', () => {
  it('moves the rotation once per request, however many candidates it hands out', () => {
    const { routing } = setup();
    const s = routing.begin('m')!;
    expect([s.next(), s.next(), s.next(), s.next()].map((c) => c?.account.id)).toEqual(['a', 'b', 'c', undefined]);
    expect(firstOf(routing)).toBe('b');
    expect(firstOf(routing)).toBe('c');
  });

  it('queries move nothing: begin without next, hasFree, skipped, allBlocked, resolve, preview, listModels', () => {
    const { routing } = setup();
    for (let i = 0; i < 3; i++) {
      const s = routing.begin('m')!;
      expect(s.hasFree()).toBe(true);
      expect(s.skipped()).toEqual([]);
      s.allBlocked();
      routing.resolve('m');
      routing.preview('m');
      routing.listModels();
    }
    expect(firstOf(routing)).toBe('a');
  });

  it('hands out at most max-retry-credentials per pass, and wait() opens the next pass at once while untried accounts are free', () => {
    const { routing } = setup({ 'max-retry-credentials': 1, 'request-retry': 2 });
    const s = routing.begin('m')!;
    const first = s.next()!;
    s.report(first, outcomeOf(first.account, { ok: false, status: 500, headers: {}, body: '' }, Date.now()));
    expect(s.next()).toBeUndefined();
    expect(s.wait()).toBe(0);
    expect(s.next()!.account.id).toBe('b');
  });

  it('keeps the last Retry-After per request: two sessions do not share it', () => {
    const { routing, clock } = setup({ 'disable-cooling': true, 'max-retry-interval': 60 });
    const limited = routing.begin('m')!;
    const other = routing.begin('m')!;
    for (let c = limited.next(); c; c = limited.next()) limited.report(c, outcomeOf(c.account, { ok: false, status: 429, headers: { 'retry-after': '7' }, body: '' }, clock.now()));
    expect(limited.wait()).toBe(7000);
    // A 429 without Retry-After: nothing to wait for in this request.
    for (let c = other.next(); c; c = other.next()) other.report(c, outcomeOf(c.account, { ok: false, status: 429, headers: {}, body: '' }, clock.now()));
    expect(other.wait()).toBeUndefined();
  });

  it('begin narrows to the capable candidates; undefined only when nothing serves the model', () => {
    const { routing } = setup();
    expect(routing.begin('nope')).toBeUndefined();
    const s = routing.begin('m', { capable: (c) => c.account.id !== 'a' })!;
    expect(s.resolution.candidates.map((c) => c.account.id)).toEqual(['b', 'c']);
    expect(routing.begin('m', { capable: () => false })!.resolution.candidates).toEqual([]);
  });
});
