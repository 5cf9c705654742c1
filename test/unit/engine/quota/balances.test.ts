/**
 * Balances (Codex credits, Claude extra usage) are not windows that run out: an account without
 * purchased credits, or with extra usage switched off by its organisation, must not raise a
 * "quota low" warning. Real windows on the same answer still warn.
 */
import { describe, expect, it } from 'vitest';
import { QuotaBook, type QuotaThresholdEvent } from '../../../../src-main/engine/quota/quota-book';
import { quotaSources } from '../../../../src-main/engine/quota/registry';

const NOW = Date.UTC(2026, 10, 23, 12);

function book() {
  const b = new QuotaBook({ sources: quotaSources, now: () => NOW });
  const events: QuotaThresholdEvent[] = [];
  b.on('threshold', (e) => events.push(e));
  return { b, events };
}

describe('balances never drive quota warnings', () => {
  it('Codex: "has credits: false" on an account that never bought any gives no warning; the 5h window at 85 % does', () => {
    const { b, events } = book();
    b.observeHeaders('x1', 'codex', {
      'x-codex-primary-used-percent': '85',
      'x-codex-primary-window-minutes': '300',
      'x-codex-primary-reset-after-seconds': '1800',
      'x-codex-credits-has-credits': 'false',
      'x-codex-credits-unlimited': 'false',
      'x-codex-credits-balance': '0',
    });
    expect(b.get('x1')!.windows.map((w) => w.id).sort()).toEqual(['5h', 'credits']);
    expect(events.map((e) => `${e.window.id} ${e.threshold}`)).toEqual(['5h 20']);
  });

  it('Claude: extra usage rejected because the organisation disabled it gives no warning', () => {
    const { b, events } = book();
    b.observeHeaders('c1', 'claude', {
      'anthropic-ratelimit-unified-status': 'allowed',
      'anthropic-ratelimit-unified-5h-utilization': '0.1',
      'anthropic-ratelimit-unified-5h-reset': String(Math.floor(NOW / 1000) + 3600),
      'anthropic-ratelimit-unified-overage-status': 'rejected',
      'anthropic-ratelimit-unified-overage-disabled-reason': 'org_level_disabled',
    });
    expect(b.get('c1')!.windows.some((w) => w.kind === 'credits')).toBe(true);
    expect(events).toEqual([]);
  });
});
