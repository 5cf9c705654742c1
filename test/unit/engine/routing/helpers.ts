import type { Account, ProviderId } from '../../../../src-main/engine/providers/provider';
import type { Clock } from '../../../../src-main/engine/routing/types';
import type { AttemptOutcome } from '../../../../src-main/engine/routing/contract';
import { providers } from '../../../../src-main/engine/providers';
import { readUpstreamFailure } from '../../../../src-main/engine/providers/read-failure';
import type { HeaderBag } from '../../../../src-main/engine/upstream/failure/types';

/** An upstream's answer before the pipeline parsed it. */
export type RawOutcome = { ok: true } | { ok: false; status: number; headers: HeaderBag; body: string };

/** What the pipeline reports for a raw answer from `account`'s upstream, received at `now`. */
export function outcomeOf(account: Account, raw: RawOutcome, now: number): AttemptOutcome {
  if (raw.ok) return raw;
  return { ok: false, failure: readUpstreamFailure(providers[account.provider], { status: raw.status, headers: raw.headers, body: raw.body, now }) };
}

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
