import type { Candidate } from './types';

/**
 * One pass's candidates in the order they are to be tried, read by position. A plain array is
 * one; the others are views over the cached, never-mutated lists of a usable set, so ordering a
 * request costs the candidates it actually takes, not the size of the pool (issue 16: selection
 * time stays flat from 1 to 1,000 accounts). A view is a snapshot: the lists it reads do not
 * change under it, exactly like the array it stands for.
 */
export interface Ordering {
  readonly length: number;
  at(index: number): Candidate | undefined;
  /** Position of the account's first candidate, −1 when absent (views answer without a scan). */
  indexOfAccount?(accountId: string): number;
}

export function indexOfAccount(o: Ordering, accountId: string): number {
  if (o.indexOfAccount) return o.indexOfAccount(accountId);
  for (let i = 0; i < o.length; i++) if (o.at(i)?.account.id === accountId) return i;
  return -1;
}

export function toArray(o: Ordering): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < o.length; i++) out.push(o.at(i)!);
  return out;
}

/**
 * A priority group's members in ring order (by account id, then upstream model), built once per
 * usable set. Where each account sits is indexed on first need (session affinity asks).
 */
export class RingGroup {
  private positions: Map<string, number[]> | undefined;

  constructor(
    readonly priority: number,
    readonly members: readonly Candidate[],
  ) {}

  positionsOf(accountId: string): readonly number[] | undefined {
    if (!this.positions) {
      this.positions = new Map();
      this.members.forEach((c, i) => {
        const list = this.positions!.get(c.account.id);
        if (list) list.push(i);
        else this.positions!.set(c.account.id, [i]);
      });
    }
    return this.positions.get(accountId);
  }
}

/** The group's ring read from `start` round to just before it. */
export class Rotation implements Ordering {
  readonly length: number;

  constructor(
    private readonly group: RingGroup,
    private readonly start: number,
  ) {
    this.length = group.members.length;
  }

  at(index: number): Candidate | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const i = this.start + index;
    return this.group.members[i < this.length ? i : i - this.length];
  }

  indexOfAccount(accountId: string): number {
    const at = this.group.positionsOf(accountId);
    if (!at) return -1;
    let best = -1;
    for (const p of at) {
      const rank = p >= this.start ? p - this.start : p - this.start + this.length;
      if (best < 0 || rank < best) best = rank;
    }
    return best;
  }
}

/** Orderings one after the other (priority groups, highest first). */
export class Chain implements Ordering {
  readonly length: number;

  constructor(private readonly parts: readonly Ordering[]) {
    this.length = parts.reduce((n, p) => n + p.length, 0);
  }

  at(index: number): Candidate | undefined {
    if (index < 0) return undefined;
    let i = index;
    for (const p of this.parts) {
      if (i < p.length) return p.at(i);
      i -= p.length;
    }
    return undefined;
  }

  indexOfAccount(accountId: string): number {
    let offset = 0;
    for (const p of this.parts) {
      const i = indexOfAccount(p, accountId);
      if (i >= 0) return offset + i;
      offset += p.length;
    }
    return -1;
  }
}

/** `base` with the candidate at `pos` moved to the front (a conversation's bound account). */
export class MovedToFront implements Ordering {
  readonly length: number;

  constructor(
    private readonly base: Ordering,
    private readonly pos: number,
  ) {
    this.length = base.length;
  }

  at(index: number): Candidate | undefined {
    if (index < 0 || index >= this.length) return undefined;
    if (index === 0) return this.base.at(this.pos);
    return this.base.at(index <= this.pos ? index - 1 : index);
  }
}
