import { afterEach, describe, expect, it, vi } from 'vitest';
import { claudeMessagesProtocol } from '../../../../src-main/engine/protocols/claude-messages';
import { geminiProtocol } from '../../../../src-main/engine/protocols/gemini';
import { ollamaProtocol } from '../../../../src-main/engine/protocols/ollama';
import { openaiChatProtocol } from '../../../../src-main/engine/protocols/openai-chat';
import { openaiResponsesProtocol } from '../../../../src-main/engine/protocols/openai-responses';
import { providers } from '../../../../src-main/engine/providers';
import type { ProviderId } from '../../../../src-main/engine/providers/provider';
import { readUpstreamFailure } from '../../../../src-main/engine/providers/read-failure';
import { QuotaBook } from '../../../../src-main/engine/quota/quota-book';
import { quotaSources } from '../../../../src-main/engine/quota/registry';
import { classifyFailure } from '../../../../src-main/engine/routing/failure-classifier';
import { failureOf } from '../../../../src-main/engine/upstream/failure/parse';
import type { HeaderBag } from '../../../../src-main/engine/upstream/failure/types';

const now = Date.UTC(2026, 11, 5, 0, 30, 0);
const s = Math.floor(now / 1000);

/** One answer as the pipeline reads it from `provider`'s upstream, parsed once. */
const read = (provider: ProviderId, status: number, headers: HeaderBag, body: string) => readUpstreamFailure(providers[provider], { status, headers, body, now });

// Anthropic Messages error shape (docs.anthropic.com "Errors") with the subscription headers Claude Code
// accounts get on every answer (PROTOCOLS.md §6.5; reference/desktop-peers-and-quota.md "Claude").
const anthropic429 = {
  headers: {
    'anthropic-ratelimit-unified-status': 'rejected',
    'anthropic-ratelimit-unified-5h-status': 'rejected',
    'anthropic-ratelimit-unified-5h-utilization': '1.0',
    'anthropic-ratelimit-unified-5h-reset': String(s + 1800),
    'anthropic-ratelimit-unified-7d-status': 'allowed',
    'anthropic-ratelimit-unified-7d-utilization': '0.42',
    'anthropic-ratelimit-unified-7d-reset': String(s + 3 * 86_400),
    'anthropic-ratelimit-unified-representative-claim': 'five_hour',
    'anthropic-ratelimit-unified-reset': String(s + 1800),
    'retry-after': '1800',
    'request-id': 'req_011CSHoEeqs5C35K2UUqR7Fy',
  },
  body: '{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your account\'s rate limit. Please try again later."},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}',
};

// ChatGPT backend (Codex) 429: `usage_limit_reached` with `resets_at` (epoch s) plus the x-codex-* windows.
const codex429 = {
  headers: {
    'x-codex-primary-used-percent': '100',
    'x-codex-primary-window-minutes': '300',
    'x-codex-primary-reset-after-seconds': '9000',
    'x-codex-secondary-used-percent': '41',
    'x-codex-secondary-window-minutes': '10080',
    'x-codex-secondary-reset-after-seconds': '400000',
    'x-codex-plan-type': 'plus',
  },
  body: JSON.stringify({ error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'plus', resets_at: s + 9000, resets_in_seconds: 9000 } }),
};

// Gemini API free-tier 429 (ai.google.dev "Rate limits"): QuotaFailure, Help and RetryInfo details.
const gemini429 = JSON.stringify({
  error: {
    code: 429,
    message: 'You exceeded your current quota, please check your plan and billing details.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', quotaValue: '15' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '43s' },
    ],
  },
});

// Code Assist (Gemini CLI) streaming endpoint: the error arrives as a one-element array, ErrorInfo QUOTA_EXHAUSTED naming the model.
const codeAssistError = {
  code: 429,
  message: 'You have exhausted your capacity on this model. Your quota will reset after 2h20m55s.',
  status: 'RESOURCE_EXHAUSTED',
  details: [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'QUOTA_EXHAUSTED',
      domain: 'cloudcode-pa.googleapis.com',
      metadata: { uiMessage: 'true', model: 'gemini-2.5-pro', quotaResetDelay: '2h20m55.386788713s', quotaResetTimeStamp: '2026-12-05T02:51:00Z' },
    },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '8455.386788713s' },
  ],
};

const html502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

describe('upstream failures, each parsed once into one value', () => {
  it('Anthropic 429 with anthropic-ratelimit-unified-* headers', () => {
    const f = read('claude', 429, anthropic429.headers, anthropic429.body);
    expect(f).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      message: "This request would exceed your account's rate limit. Please try again later.",
      retryAfterMs: 1_800_000,
      // The last rejected window (5h) resets at its epoch second; the allowed 7d window does not count.
      resetHint: { until: (s + 1800) * 1000, source: 'anthropic-unified', quotaExhausted: true },
    });
    expect(f.quota).toBeUndefined();
    expect(claudeMessagesProtocol.decodeError(f)).toEqual({ status: 429, message: f.message, kind: 'rate_limit', code: 'rate_limit_error' });
    expect(classifyFailure({ failure: f, accountKind: 'oauth', now })).toMatchObject({ kind: 'quota', cooldownUntil: (s + 1800) * 1000, hint: 'anthropic-unified' });
  });

  it('Codex 429 usage_limit_reached with resets_at and x-codex-* headers', () => {
    const f = read('codex', 429, codex429.headers, codex429.body);
    expect(f).toMatchObject({
      status: 429,
      type: 'usage_limit_reached',
      message: 'The usage limit has been reached',
      // resets_at is absolute and wins over the headers and resets_in_seconds.
      resetHint: { until: (s + 9000) * 1000, source: 'codex-resets-at', quotaExhausted: true },
      // 2.5 h away: the 5-hour window is the one that ran out.
      quota: { resetAt: (s + 9000) * 1000, windowSeconds: 5 * 3600, reason: 'usage_limit_reached' },
    });
    expect(f.retryAfterMs).toBeUndefined();
    expect(openaiResponsesProtocol.decodeError(f)).toMatchObject({ status: 429, message: 'The usage limit has been reached', kind: 'rate_limit', code: 'usage_limit_reached' });
    expect(quotaSources.codex!.parse429!(f)).toEqual([expect.objectContaining({ id: '5h', usedPercent: 100, resetAt: (s + 9000) * 1000 })]);
  });

  it('Codex 429 without a body hint: the last full x-codex window', () => {
    const f = read('codex', 429, codex429.headers, '{"error":{"type":"rate_limit_exceeded","message":"Rate limit reached"}}');
    expect(f.resetHint).toEqual({ until: now + 9_000_000, source: 'codex-headers', quotaExhausted: true });
    expect(f.quota).toBeUndefined();
  });

  it('OpenAI 429 with x-ratelimit-reset-* durations', () => {
    const body = '{"error":{"message":"Rate limit reached for gpt-4o on requests per min (RPM): Limit 500.","type":"requests","param":null,"code":"rate_limit_exceeded"}}';
    const f = read('openai-compatibility', 429, { 'x-ratelimit-reset-requests': '120ms', 'x-ratelimit-reset-tokens': '6m0s' }, body);
    expect(f).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', resetHint: { until: now + 360_000, source: 'x-ratelimit-reset' } });
    expect(openaiChatProtocol.decodeError(f)).toEqual({ status: 429, message: 'Rate limit reached for gpt-4o on requests per min (RPM): Limit 500.', kind: 'rate_limit', code: 'rate_limit_exceeded' });
  });

  it('Google 429 RESOURCE_EXHAUSTED with RetryInfo and QuotaFailure details', () => {
    const f = read('gemini-api', 429, {}, gemini429);
    expect(f).toMatchObject({
      status: 429,
      rpcStatus: 'RESOURCE_EXHAUSTED',
      reasons: [],
      message: 'You exceeded your current quota, please check your plan and billing details.',
      // A per-minute limit: no ErrorInfo QUOTA_EXHAUSTED, no model → nothing for the quota meter.
      resetHint: { until: now + 43_000, source: 'google-retry-info', quotaExhausted: false },
    });
    expect(f.details.map((d) => d['@type'])).toEqual([
      'type.googleapis.com/google.rpc.QuotaFailure',
      'type.googleapis.com/google.rpc.Help',
      'type.googleapis.com/google.rpc.RetryInfo',
    ]);
    expect(f.code).toBeUndefined(); // the numeric `code: 429` is the HTTP status, not a machine word
    expect(f.quota).toBeUndefined();
    expect(geminiProtocol.decodeError(f)).toMatchObject({ status: 429, kind: 'rate_limit', code: 'RESOURCE_EXHAUSTED', details: { details: JSON.parse(gemini429).error.details } });
  });

  it('Gemini CLI: the array-wrapped Code Assist error and the {response: …} envelope read the same', () => {
    const expected = {
      status: 429,
      rpcStatus: 'RESOURCE_EXHAUSTED',
      reasons: ['QUOTA_EXHAUSTED'],
      resetHint: { until: now + 8_455_387, source: 'google-retry-info', quotaExhausted: true },
      // The quota book prefers the reset timestamp of the ErrorInfo.
      quota: { resetAt: Date.parse('2026-12-05T02:51:00Z'), model: 'gemini-2.5-pro', reason: 'QUOTA_EXHAUSTED' },
    };
    const array = read('gemini-cli', 429, {}, JSON.stringify([{ error: codeAssistError }]));
    const enveloped = read('antigravity', 429, {}, JSON.stringify({ response: { error: codeAssistError } }));
    expect(array).toMatchObject(expected);
    expect(enveloped).toMatchObject(expected);
    expect(array.json).toEqual({ error: codeAssistError });
    expect(enveloped.json).toEqual({ error: codeAssistError });
    expect(quotaSources['gemini-cli']!.parse429!(array)).toEqual([
      expect.objectContaining({ id: 'model:gemini-2.5-pro', usedPercent: 100, resetAt: Date.parse('2026-12-05T02:51:00Z') }),
    ]);
    expect(classifyFailure({ failure: array, accountKind: 'oauth', now })).toMatchObject({ kind: 'quota', cooldownUntil: now + 8_455_387 });
  });

  it('a compatible gateway relaying another upstream\'s error: every registered format is asked after the generic one', () => {
    expect(read('openai-compatibility', 429, {}, gemini429).resetHint).toEqual({ until: now + 43_000, source: 'google-retry-info', quotaExhausted: false });
    expect(read('openai-compatibility', 429, {}, codex429.body).resetHint).toMatchObject({ until: (s + 9000) * 1000, source: 'codex-resets-at' });
    // The provider's own format first: Claude's headers win over a retry-after on the same answer.
    expect(read('openai-compatibility', 429, anthropic429.headers, '').resetHint).toMatchObject({ source: 'retry-after', until: now + 1_800_000 });
    expect(read('claude', 429, anthropic429.headers, '').resetHint).toMatchObject({ source: 'anthropic-unified' });
  });

  it('HTML 502 from a proxy in front of the upstream', () => {
    const f = read('claude-api', 502, { 'content-type': 'text/html' }, html502);
    expect(f.json).toBeUndefined();
    expect(f.text).toBe(html502);
    expect(f.message).toBe('<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> <hr><center>cloudflare</center> </body> </html>');
    expect(f.resetHint).toBeUndefined();
    expect(claudeMessagesProtocol.decodeError(f)).toEqual({ status: 502, message: html502.trim(), kind: 'upstream' });
    expect(classifyFailure({ failure: f, accountKind: 'api-key', now })).toMatchObject({ kind: 'transient', cooldownUntil: now + 60_000 });
  });

  it('a stream error or a dead connection is the same value, built without a body to parse', () => {
    const stream = failureOf({ status: 429, message: 'Rate limit reached', code: 'rate_limit_exceeded', now });
    expect(classifyFailure({ failure: stream, accountKind: 'api-key', now })).toMatchObject({ kind: 'rate-limit', message: 'Rate limit reached' });
    const quota = failureOf({ status: 429, message: 'The usage limit has been reached', code: 'usage_limit_reached', now });
    expect(classifyFailure({ failure: quota, accountKind: 'oauth', now }).kind).toBe('quota');
    const dead = failureOf({ status: 0, network: 'timeout', message: 'no answer in 600 s', now });
    expect(classifyFailure({ failure: dead, accountKind: 'oauth', now })).toMatchObject({ kind: 'timeout', scope: 'model' });
  });

  it('an OAuth account of any provider (xAI, Copilot too) gets its one refresh after a 401: the account says so, not a list', () => {
    for (const provider of ['xai', 'copilot', 'claude'] as const) {
      const f = read(provider, 401, {}, '{"error":{"message":"token expired"}}');
      expect(classifyFailure({ failure: f, accountKind: 'oauth', now })).toMatchObject({ kind: 'auth', refreshCredential: true });
      expect(classifyFailure({ failure: f, accountKind: 'api-key', now })).toMatchObject({ kind: 'auth', refreshCredential: false });
    }
  });
});

describe('one parse per failure', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the classifier, every protocol decodeError and the quota book read the value without JSON.parse', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const book = new QuotaBook({ sources: quotaSources, now: () => now, timers: { setTimeout: () => 0, clearTimeout: () => undefined } });
    for (const [provider, body] of [
      ['codex', codex429.body],
      ['gemini-cli', JSON.stringify([{ error: codeAssistError }])],
    ] as const) {
      parse.mockClear();
      const f = read(provider, 429, {}, body);
      classifyFailure({ failure: f, accountKind: 'oauth', now });
      for (const p of [claudeMessagesProtocol, geminiProtocol, openaiChatProtocol, openaiResponsesProtocol, ollamaProtocol]) p.decodeError(f);
      book.observe429(`acct-${provider}`, provider, f);
      expect(parse).toHaveBeenCalledTimes(1);
    }
    expect(book.get('acct-codex')!.windows).toEqual([expect.objectContaining({ id: '5h', usedPercent: 100 })]);
    expect(book.get('acct-gemini-cli')!.windows).toEqual([expect.objectContaining({ id: 'model:gemini-2.5-pro', usedPercent: 100 })]);
    book.close();
  });
});
