import { describe, expect, it } from 'vitest';
import { Selector } from '../../../../src-main/engine/routing/selector';
import type { Candidate } from '../../../../src-main/engine/routing/types';
import type { Account } from '../../../../src-main/engine/providers/provider';
import { account, countBy } from './helpers';

const cand = (a: Account, upstreamModel = 'm'): Candidate => ({ account: a, upstreamModel, clientModel: 'm' });
const always = () => true;

function run(sel: Selector, cands: Candidate[], n: number, avail: (c: Candidate) => boolean = always, key = 'm'): string[] {
  const picks: string[] = [];
  for (let i = 0; i < n; i++) picks.push(sel.order(key, cands, avail)[0].account.id);
  return picks;
}

function spread(counts: Record<string, number>): number {
  const v = Object.values(counts);
  return Math.max(...v) - Math.min(...v);
}

describe('Selector', () => {
  const accts = ['a', 'b', 'c'].map((id) => account({ id }));

  it('round-robin: N requests over K equal accounts differ by at most one', () => {
    for (const n of [1, 2, 3, 10, 100, 1001]) {
      const counts = countBy(run(new Selector('round-robin'), accts.map((a) => cand(a)), n), (x) => x);
      expect(Object.values(counts).reduce((s, x) => s + x, 0)).toBe(n);
      if (n >= 3) expect(spread(counts)).toBeLessThanOrEqual(1);
    }
  });

  it('round-robin is deterministic and rotates in a fixed ring', () => {
    expect(run(new Selector(), accts.map((a) => cand(a)), 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('rotations go by account id, fill-first by config order, whatever order the list comes in (200 accounts)', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `acct-${String(i).padStart(3, '0')}`);
    const shuffled = [...ids].sort((x, y) => (x.split('').reverse().join('') < y.split('').reverse().join('') ? -1 : 1));
    const cands = shuffled.map((id) => cand(account({ id })));
    expect(run(new Selector('round-robin'), cands, 201)).toEqual([...ids, ids[0]]);
    // Config order is the order the accounts were made in here (the shuffled one).
    expect(new Selector('fill-first').order('m', cands, always).map((c) => c.account.id)).toEqual(shuffled);
    const weighted = new Selector('weighted-round-robin');
    expect(run(weighted, cands, 200)).toEqual(ids);
    // The ring continues after the last one served when the list shrinks (a cooled account drops out).
    const sel = new Selector();
    run(sel, cands, 3);
    expect(sel.order('m', cands, (c) => c.account.id !== 'acct-003').slice(0, 2).map((c) => c.account.id)).toEqual(['acct-004', 'acct-005']);
  });

  it('round-robin lists the rest of the ring as the failover tail', () => {
    const sel = new Selector();
    const cands = accts.map((a) => cand(a));
    sel.order('m', cands, always);
    expect(sel.order('m', cands, always).map((c) => c.account.id)).toEqual(['b', 'c', 'a']);
  });

  it('round-robin stays fair while one account is cooling, and resumes after it', () => {
    const sel = new Selector();
    const cands = accts.map((a) => cand(a));
    const picks = run(sel, cands, 10, (c) => c.account.id !== 'b');
    const counts = countBy(picks, (x) => x);
    expect(counts).toEqual({ a: 5, c: 5 });
    expect(run(sel, cands, 3)).toEqual(['a', 'b', 'c']);
  });

  it('keeps one cursor per model key', () => {
    const sel = new Selector();
    const cands = accts.map((a) => cand(a));
    expect(run(sel, cands, 2, always, 'x')).toEqual(['a', 'b']);
    expect(run(sel, cands, 2, always, 'y')).toEqual(['a', 'b']);
    expect(run(sel, cands, 1, always, 'x')).toEqual(['c']);
  });

  it('state survives a config reload (new account objects, same ids, changed order)', () => {
    const sel = new Selector();
    run(sel, accts.map((a) => cand(a)), 1);
    const reloaded = ['c', 'a', 'b', 'd'].map((id, i) => account({ id, order: i }));
    expect(run(sel, reloaded.map((a) => cand(a)), 4)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('peeking (advance: false) does not move the rotation', () => {
    const sel = new Selector();
    const cands = accts.map((a) => cand(a));
    for (let i = 0; i < 5; i++) sel.order('m', cands, always, { advance: false });
    expect(run(sel, cands, 1)).toEqual(['a']);
  });

  it('fill-first drains the first account in config order until it is unavailable', () => {
    const ordered = ['z', 'y', 'x'].map((id, i) => account({ id, order: i }));
    const sel = new Selector('fill-first');
    const cands = ordered.map((a) => cand(a));
    expect(countBy(run(sel, cands, 50), (x) => x)).toEqual({ z: 50 });
    expect(run(sel, cands, 3, (c) => c.account.id !== 'z')).toEqual(['y', 'y', 'y']);
    expect(sel.order('m', cands, always).map((c) => c.account.id)).toEqual(['z', 'y', 'x']);
  });

  it('weighted-round-robin serves in proportion to weight, interleaved, within one of the ideal', () => {
    const w = [account({ id: 'w1', weight: 1 }), account({ id: 'w2', weight: 2 }), account({ id: 'w3', weight: 3 }), account({ id: 'w0', weight: 0 })];
    const sel = new Selector('weighted-round-robin');
    const picks = run(sel, w.map((a) => cand(a)), 600);
    expect(countBy(picks, (x) => x)).toEqual({ w1: 100, w2: 200, w3: 300 });
    for (const n of [7, 13, 59]) {
      const s = new Selector('weighted-round-robin');
      const c = countBy(run(s, w.map((a) => cand(a)), n), (x) => x);
      for (const [id, weight] of [['w1', 1], ['w2', 2], ['w3', 3]] as const) expect(Math.abs((c[id] ?? 0) - (n * weight) / 6)).toBeLessThanOrEqual(1);
    }
    // Smooth: the heaviest never gets more than its share in a row.
    expect(run(new Selector('weighted-round-robin'), w.map((a) => cand(a)), 6)).toEqual(['w3', 'w2', 'w1', 'w3', 'w2', 'w3']);
  });

  it('weighted-round-robin with equal weights is fair like round-robin', () => {
    const counts = countBy(run(new Selector('weighted-round-robin'), accts.map((a) => cand(a)), 1000), (x) => x);
    expect(spread(counts)).toBeLessThanOrEqual(1);
  });

  it('uses only the highest priority group while it has an available member; lower groups are the tail', () => {
    const hi1 = account({ id: 'hi1', priority: 10 });
    const hi2 = account({ id: 'hi2', priority: 10 });
    const lo = account({ id: 'lo', priority: 0 });
    const sel = new Selector();
    const cands = [lo, hi1, hi2].map((a) => cand(a));
    expect(countBy(run(sel, cands, 10), (x) => x)).toEqual({ hi1: 5, hi2: 5 });
    expect(sel.order('m', cands, always).map((c) => c.account.id).at(-1)).toBe('lo');
    expect(run(sel, cands, 3, (c) => c.account.priority === 0)).toEqual(['lo', 'lo', 'lo']);
  });

  it('drops disabled and unavailable candidates entirely', () => {
    const sel = new Selector();
    const cands = [account({ id: 'on' }), account({ id: 'off', disabled: true }), account({ id: 'cool' })].map((a) => cand(a));
    expect(sel.order('m', cands, (c) => c.account.id !== 'cool').map((c) => c.account.id)).toEqual(['on']);
    expect(sel.order('m', cands, () => false)).toEqual([]);
  });

  it('rotates over (account × model) pairs of an alias pool', () => {
    const a = account({ id: 'a' });
    const b = account({ id: 'b' });
    const cands = [cand(a, 'm1'), cand(a, 'm2'), cand(b, 'm3')];
    const sel = new Selector();
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) picks.push(sel.order('pool', cands, always)[0].upstreamModel);
    expect(picks).toEqual(['m1', 'm2', 'm3', 'm1', 'm2', 'm3']);
  });
});
