import { describe, expect, it } from 'vitest';
import { CooldownBook } from '../../../../src-main/engine/routing/cooldown-book';
import { RetryPolicy, formatSeconds } from '../../../../src-main/engine/routing/retry-policy';
import type { Candidate } from '../../../../src-main/engine/routing/types';
import { account, FakeClock } from './helpers';

const cands = (ids: string[]): Candidate[] => ids.map((id) => ({ account: account({ id, label: `${id}@example.com` }), upstreamModel: 'm', clientModel: 'm' }));

function setup(cfg: Partial<{ requestRetry: number; maxRetryIntervalSec: number; maxRetryCredentials: number }> = {}) {
  const clock = new FakeClock();
  const book = new CooldownBook({ clock });
  const policy = new RetryPolicy({ requestRetry: 3, maxRetryIntervalSec: 30, maxRetryCredentials: 0, ...cfg }, book);
  return { clock, book, policy };
}

describe('RetryPolicy', () => {
  it('invalid requests give up at once; everything else tries the next candidate', () => {
    const { policy } = setup();
    expect(policy.afterAttempt({ retryOtherAccounts: false })).toBe('give-up');
    expect(policy.afterAttempt({ retryOtherAccounts: true })).toBe('next-candidate');
  });

  it('waits for the earliest cooldown when it ends within max-retry-interval', () => {
    const { clock, book, policy } = setup();
    const c = cands(['a', 'b']);
    book.markFailure('a', 'm', { kind: 'rate-limit', scope: 'model', cooldownUntil: clock.now() + 20_000, hint: 'h' });
    book.markFailure('b', 'm', { kind: 'rate-limit', scope: 'model', cooldownUntil: clock.now() + 8_000, hint: 'h' });
    expect(policy.nextPassDelay({ pass: 0, candidates: c })).toBe(8_000);
    book.markFailure('b', 'm', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 3_600_000, hint: 'h' });
    expect(policy.nextPassDelay({ pass: 0, candidates: c })).toBe(20_000);
    book.markFailure('a', 'm', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 31_000, hint: 'h' });
    expect(policy.nextPassDelay({ pass: 0, candidates: c })).toBeUndefined();
  });

  it('numbers mean what they say: request-retry 0 = one pass, max-retry-interval 0 = never wait', () => {
    const a = setup({ requestRetry: 0 });
    a.book.markFailure('a', 'm', { kind: 'rate-limit', scope: 'model' });
    expect(a.policy.nextPassDelay({ pass: 0, candidates: cands(['a']) })).toBeUndefined();
    const b = setup({ maxRetryIntervalSec: 0 });
    b.book.markFailure('a', 'm', { kind: 'rate-limit', scope: 'model' });
    expect(b.policy.nextPassDelay({ pass: 0, candidates: cands(['a']) })).toBeUndefined();
    const c = setup({ requestRetry: 2 });
    c.book.markFailure('a', 'm', { kind: 'rate-limit', scope: 'model' });
    expect(c.policy.nextPassDelay({ pass: 1, candidates: cands(['a']) })).toBe(1000);
    expect(c.policy.nextPassDelay({ pass: 2, candidates: cands(['a']) })).toBeUndefined();
  });

  it('with a per-pass credential cap, untried free candidates get another pass at once', () => {
    const { book, policy } = setup({ maxRetryCredentials: 1 });
    book.markFailure('a', 'm', { kind: 'transient', scope: 'model', cooldownUntil: book.now() + 60_000 });
    expect(policy.maxCredentialsPerPass()).toBe(1);
    expect(policy.nextPassDelay({ pass: 0, candidates: cands(['a', 'b']) })).toBe(0);
  });

  it('a bare Retry-After counts when nothing is cooling (cooling disabled)', () => {
    const { policy } = setup();
    expect(policy.nextPassDelay({ pass: 0, candidates: cands(['a']), lastRetryAfterMs: 2000 })).toBe(2000);
    expect(policy.nextPassDelay({ pass: 0, candidates: cands(['a']) })).toBeUndefined();
  });

  it('all cooling → 429 with Retry-After, the model, every account and when the first frees up', () => {
    const { clock, book, policy } = setup();
    book.markFailure('a', 'm', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 62_000, hint: 'h' });
    book.markFailure('b', 'm', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 3_600_000, hint: 'h' });
    const err = policy.allCoolingError('gpt-5', cands(['b', 'a']));
    expect(err).toMatchObject({ status: 429, kind: 'rate_limit', code: 'model_cooldown', retryAfterSeconds: 62 });
    expect(err.message).toContain('gpt-5');
    expect(err.details).toEqual({
      model: 'gpt-5',
      provider: 'openai-compatibility',
      reset_seconds: 62,
      reset_time: '1m2s',
      accounts: [
        { id: 'a', label: 'a@example.com', until: new Date(clock.now() + 62_000).toISOString() },
        { id: 'b', label: 'b@example.com', until: new Date(clock.now() + 3_600_000).toISOString() },
      ],
    });
  });

  it('all disabled → 503, not a cooldown', () => {
    const { policy } = setup();
    const c = cands(['a']);
    c[0].account.disabled = true;
    expect(policy.allCoolingError('m', c)).toMatchObject({ status: 503, code: 'no_available_account' });
  });

  it('formats durations like 1h2m3s', () => {
    expect(formatSeconds(3723)).toBe('1h2m3s');
    expect(formatSeconds(62)).toBe('1m2s');
    expect(formatSeconds(5)).toBe('5s');
    expect(formatSeconds(3600)).toBe('1h0m0s');
  });
});
