import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../../src-shared/config/schema';
import { routePreviewSchema } from '../../../../src-shared/domain/mappings';
import { Routing } from '../../../../src-main/engine/routing';
import { account, FakeClock } from './helpers';

describe('Routing.preview', () => {
  const clock = new FakeClock();
  const accts = [
    account({ id: 'k1', label: 'key one', order: 0, models: [{ name: 'claude-sonnet-4-5', alias: 'fast' }] }),
    account({ id: 'k2', label: 'key two', order: 1, models: [{ name: 'claude-haiku-4-5', alias: 'fast' }] }),
  ];
  const cfg = configSchema.parse({});
  const routing = new Routing({ accounts: () => accts, config: () => cfg, defaultModels: () => [], clock });

  it('explains suffix and alias, lists candidates in try order with cooling ones last', () => {
    routing.book.markFailure('k1', 'claude-sonnet-4-5', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 60_000, hint: 'h' });
    const p = routing.preview('fast(high)');
    expect(routePreviewSchema.parse(p)).toEqual(p);
    expect(p.steps).toEqual([
      'suffix (high) → reasoning high (24576 tokens)',
      'alias fast → claude-sonnet-4-5 (openai-compatibility)',
      'alias fast → claude-haiku-4-5 (openai-compatibility)',
      '1 of 2 candidates usable now',
    ]);
    expect(p.candidates.map((c) => [c.accountId, c.status, c.coolingUntil])).toEqual([
      ['k2', 'active', null],
      ['k1', 'cooling', clock.now() + 60_000],
    ]);
  });

  it('does not move the rotation and reports unknown models', () => {
    routing.resetCooldowns();
    routing.preview('fast');
    routing.preview('fast');
    expect(routing.begin('fast')!.next()!.account.id).toBe('k1');
    expect(routing.preview('nope')).toMatchObject({ resolved: false, candidates: [], error: expect.stringContaining('nope') });
  });
});
