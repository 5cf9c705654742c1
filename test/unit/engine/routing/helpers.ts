import type { Account, ProviderId } from '../../../../src-main/engine/providers/provider';
import type { Clock } from '../../../../src-main/engine/routing/types';

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(public t = Date.UTC(2026, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

let seq = 0;

export function account(over: Partial<Account> & { id: string }): Account {
  return {
    provider: 'openai-compatibility' as ProviderId,
    kind: 'api-key',
    label: over.id,
    order: seq++,
    priority: 0,
    weight: 1,
    disabled: false,
    meta: {},
    ...over,
  };
}

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}
