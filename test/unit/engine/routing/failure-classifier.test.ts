import { describe, expect, it } from 'vitest';
import { providers } from '../../../../src-main/engine/providers';
import type { ProviderId } from '../../../../src-main/engine/providers/provider';
import { readUpstreamFailure } from '../../../../src-main/engine/providers/read-failure';
import { classifyFailure, COOLDOWNS } from '../../../../src-main/engine/routing/failure-classifier';
import { failureOf } from '../../../../src-main/engine/upstream/failure/parse';
import { parseDuration } from '../../../../src-main/engine/upstream/failure/headers';
import type { HeaderBag, NetworkKind } from '../../../../src-main/engine/upstream/failure/types';

/** An answer as it arrives from `provider`, parsed once, then classified for an account of that provider's kind. */
function classify(i: { provider: ProviderId; status: number; now: number; headers?: HeaderBag; body?: unknown; network?: NetworkKind; accountKind?: 'api-key' | 'oauth'; transientCooldownMs?: number }) {
  const p = providers[i.provider];
  const failure = i.network
    ? failureOf({ status: 0, network: i.network, now: i.now })
    : readUpstreamFailure(p, { status: i.status, headers: i.headers, body: i.body, now: i.now });
  return classifyFailure({ failure, accountKind: i.accountKind ?? p.kind, now: i.now, transientCooldownMs: i.transientCooldownMs });
}

const now = Date.UTC(2026, 0, 1, 12, 0, 0);

const googleBody = (details: unknown[], message = 'Resource has been exhausted (e.g. check quota).') =>
  JSON.stringify({ error: { code: 429, message, status: 'RESOURCE_EXHAUSTED', details } });

describe('reset-hint parsing on 429', () => {
  it('Google RetryInfo.retryDelay', () => {
    const c = classify({
      provider: 'gemini-api',
      status: 429,
      now,
      body: googleBody([
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34.5s' },
      ]),
    });
    expect(c).toMatchObject({ kind: 'rate-limit', cooldownUntil: now + 34_500, hint: 'google-retry-info', retryOtherAccounts: true, scope: 'model' });
  });

  it('Google ErrorInfo.metadata.quotaResetDelay (Go duration) marks an exhausted quota', () => {
    const c = classify({
      provider: 'antigravity',
      status: 429,
      now,
      body: googleBody([
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'QUOTA_EXHAUSTED', domain: 'cloudcode-pa.googleapis.com', metadata: { quotaResetDelay: '2h20m55.5s', model: 'x' } },
      ]),
    });
    expect(c).toMatchObject({ kind: 'quota', cooldownUntil: now + (2 * 3600 + 20 * 60 + 55.5) * 1000, hint: 'google-quota-reset-delay' });
  });

  it('Google "Your quota will reset after Ns." message, also inside an array envelope', () => {
    const body = JSON.stringify([{ error: { code: 429, message: 'You have exhausted your capacity on this model. Your quota will reset after 17s.', status: 'RESOURCE_EXHAUSTED' } }]);
    const c = classify({ provider: 'gemini-cli', status: 429, now, body });
    expect(c).toMatchObject({ cooldownUntil: now + 17_000, hint: 'google-message' });
  });

  it('Codex usage_limit_reached resets_at (unix seconds) and resets_in_seconds', () => {
    const at = Math.floor(now / 1000) + 3600;
    const a = classify({
      provider: 'codex',
      status: 429,
      now,
      body: JSON.stringify({ error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'plus', resets_at: at, resets_in_seconds: 99 } }),
    });
    expect(a).toMatchObject({ kind: 'quota', cooldownUntil: at * 1000, hint: 'codex-resets-at' });
    const b = classify({ provider: 'codex-api', status: 429, now, body: { error: { type: 'usage_limit_reached', resets_in_seconds: 120 } } });
    expect(b).toMatchObject({ kind: 'quota', cooldownUntil: now + 120_000, hint: 'codex-resets-in-seconds' });
  });

  it('Codex x-codex-* window headers when the body has no hint', () => {
    const at = Math.floor(now / 1000) + 7200;
    const c = classify({
      provider: 'codex',
      status: 429,
      now,
      headers: {
        'x-codex-primary-used-percent': '100',
        'x-codex-primary-reset-after-seconds': '600',
        'x-codex-secondary-used-percent': '100.0',
        'x-codex-secondary-reset-at': String(at),
      },
      body: '{"error":{"message":"rate limited"}}',
    });
    expect(c).toMatchObject({ kind: 'quota', cooldownUntil: at * 1000, hint: 'codex-headers' });
  });

  it('Anthropic unified headers: the latest reset among rejected windows, no jitter', () => {
    const s = Math.floor(now / 1000);
    const c = classify({
      provider: 'claude',
      status: 429,
      now,
      headers: {
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-5h-status': 'rejected',
        'anthropic-ratelimit-unified-5h-reset': String(s + 1800),
        'anthropic-ratelimit-unified-7d-status': 'allowed',
        'anthropic-ratelimit-unified-7d-reset': String(s + 86400 * 3),
        'Anthropic-Ratelimit-Unified-7d_oi-Status': 'rejected',
        'Anthropic-Ratelimit-Unified-7d_oi-Reset': String(s + 7200),
        'anthropic-ratelimit-unified-reset': String(s + 1800),
        'retry-after': '5',
      },
      body: JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'rate limited' } }),
    });
    expect(c).toMatchObject({ kind: 'quota', cooldownUntil: (s + 7200) * 1000, hint: 'anthropic-unified' });
  });

  it('Anthropic retry-after in seconds and as an HTTP date', () => {
    const a = classify({ provider: 'claude-api', status: 429, now, headers: { 'retry-after': '42' } });
    expect(a).toMatchObject({ kind: 'rate-limit', cooldownUntil: now + 42_000, hint: 'retry-after' });
    const date = new Date(now + 90_000).toUTCString();
    const b = classify({ provider: 'claude-api', status: 429, now, headers: { 'Retry-After': date } });
    expect(b).toMatchObject({ cooldownUntil: now + 90_000, hint: 'retry-after-date' });
  });

  it('Anthropic API-key rate-limit headers: the exhausted bucket reset time', () => {
    const reset = new Date(now + 25_000).toISOString();
    const c = classify({
      provider: 'claude-api',
      status: 429,
      now,
      headers: { 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': reset, 'anthropic-ratelimit-requests-remaining': '10' },
    });
    expect(c).toMatchObject({ cooldownUntil: now + 25_000, hint: 'anthropic-ratelimit' });
  });

  it('generic Retry-After, retry-after-ms and x-ratelimit-reset-* for OpenAI-compatible upstreams', () => {
    expect(classify({ provider: 'openai-compatibility', status: 429, now, headers: { 'retry-after': '3' } }).cooldownUntil).toBe(now + 3000);
    expect(classify({ provider: 'openai-compatibility', status: 429, now, headers: { 'retry-after-ms': '1500' } }).cooldownUntil).toBe(now + 1500);
    expect(classify({ provider: 'openai-compatibility', status: 429, now, headers: { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' } }).cooldownUntil).toBe(now + 360_000);
  });

  it('no hint (or a useless retry-after: 0) leaves the cooldown to the backoff', () => {
    const c = classify({ provider: 'claude', status: 429, now, headers: { 'retry-after': '0' } });
    expect(c.kind).toBe('rate-limit');
    expect(c.cooldownUntil).toBeUndefined();
    expect(classify({ provider: 'openai-compatibility', status: 429, now, body: '{"error":{"code":"insufficient_quota","message":"You exceeded your current quota"}}' }).kind).toBe('quota');
  });

  it('parses Go / protobuf durations', () => {
    expect(parseDuration('0.84s')).toBeCloseTo(840);
    expect(parseDuration('1h2m3s')).toBe(3_723_000);
    expect(parseDuration('500ms')).toBe(500);
    // Go's time.Duration.String() writes microseconds with U+00B5; ParseDuration also takes U+03BC.
    expect(parseDuration('250\u00b5s')).toBeCloseTo(0.25);
    expect(parseDuration('250\u03bcs')).toBeCloseTo(0.25);
    expect(parseDuration('1.5s250us')).toBeCloseTo(1500.25);
    expect(parseDuration('12')).toBe(12_000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('failure classes (PROTOCOLS.md §6.3)', () => {
  it('401 asks for one refresh on OAuth accounts and benches the whole account for 30 min', () => {
    const oauth = classify({ provider: 'claude', accountKind: 'oauth', status: 401, now, body: '{"error":{"type":"authentication_error","message":"invalid token"}}' });
    expect(oauth).toMatchObject({ kind: 'auth', refreshCredential: true, cooldownUntil: now + COOLDOWNS.auth, scope: 'account', retryOtherAccounts: true });
    const key = classify({ provider: 'claude-api', accountKind: 'api-key', status: 401, now });
    expect(key).toMatchObject({ kind: 'auth', refreshCredential: false });
    expect(classify({ provider: 'gemini-cli', status: 403, now }).refreshCredential).toBe(true);
  });

  it('402 and billing 403/400 are payment failures on the whole account', () => {
    expect(classify({ provider: 'openai-compatibility', status: 402, now })).toMatchObject({ kind: 'payment', scope: 'account', cooldownUntil: now + COOLDOWNS.payment });
    const credit = classify({
      provider: 'claude-api',
      status: 400,
      now,
      body: '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}',
    });
    expect(credit).toMatchObject({ kind: 'payment', retryOtherAccounts: true });
  });

  it('400 invalid request returns at once and touches no other account', () => {
    const c = classify({ provider: 'claude-api', status: 400, now, body: '{"type":"error","error":{"type":"invalid_request_error","message":"messages: field required"}}' });
    expect(c).toMatchObject({ kind: 'invalid-request', retryOtherAccounts: false });
    expect(c.cooldownUntil).toBeUndefined();
    expect(classify({ provider: 'openai-compatibility', status: 422, now }).retryOtherAccounts).toBe(false);
    expect(classify({ provider: 'openai-compatibility', status: 413, now }).retryOtherAccounts).toBe(false);
  });

  it('a 400 about the key itself fails over (Gemini API_KEY_INVALID)', () => {
    const body = JSON.stringify({
      error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] },
    });
    expect(classify({ provider: 'gemini-api', status: 400, now, body })).toMatchObject({ kind: 'auth', scope: 'account', retryOtherAccounts: true, refreshCredential: false });
  });

  it('a 400 about the account state fails over too (Google FAILED_PRECONDITION, disabled organisation)', () => {
    const body = JSON.stringify({ error: { code: 400, message: 'User location is not supported for the API use.', status: 'FAILED_PRECONDITION' } });
    expect(classify({ provider: 'gemini-api', status: 400, now, body })).toMatchObject({ kind: 'auth', scope: 'account', retryOtherAccounts: true });
    const org = '{"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."}}';
    expect(classify({ provider: 'claude-api', status: 400, now, body: org })).toMatchObject({ kind: 'auth', retryOtherAccounts: true });
  });

  it('model not supported: 12 h on that model only, other accounts tried', () => {
    const c = classify({ provider: 'codex', status: 400, now, body: '{"detail":"The \'gpt-9\' model is not supported when using Codex with a ChatGPT account."}' });
    expect(c).toMatchObject({ kind: 'model-unsupported', scope: 'model', cooldownUntil: now + COOLDOWNS.modelUnsupported, retryOtherAccounts: true });
  });

  it('404: 12 h, except request-scoped 404s which go straight back', () => {
    expect(classify({ provider: 'openai-compatibility', status: 404, now })).toMatchObject({ kind: 'not-found', cooldownUntil: now + COOLDOWNS.notFound });
    const scoped = classify({
      provider: 'codex',
      status: 404,
      now,
      body: '{"error":{"message":"Item with id \'rs_123\' not found. Items are not persisted when `store` is set to false."}}',
    });
    expect(scoped).toMatchObject({ kind: 'invalid-request', retryOtherAccounts: false });
  });

  it('408/5xx and network failures: one minute, model scope, other accounts tried', () => {
    for (const status of [408, 500, 502, 503, 504, 529]) {
      const c = classify({ provider: 'claude-api', status, now });
      expect(c.cooldownUntil).toBe(now + 60_000);
      expect(c.retryOtherAccounts).toBe(true);
    }
    expect(classify({ provider: 'claude-api', status: 503, now, headers: { 'retry-after': '5' } }).cooldownUntil).toBe(now + 5000);
    expect(classify({ provider: 'codex', status: 0, network: 'timeout', now })).toMatchObject({ kind: 'timeout', cooldownUntil: now + 60_000 });
    expect(classify({ provider: 'codex', status: 0, network: 'unreachable', now })).toMatchObject({ kind: 'network', scope: 'model' });
    expect(classify({ provider: 'codex', status: 502, now, transientCooldownMs: 0 }).cooldownUntil).toBeUndefined();
  });

  it('keeps the upstream message for the cooldown reason', () => {
    const c = classify({ provider: 'codex', status: 429, now, body: '{"error":{"type":"usage_limit_reached","message":"The usage limit has been reached"}}' });
    expect(c.message).toBe('The usage limit has been reached');
  });
});
