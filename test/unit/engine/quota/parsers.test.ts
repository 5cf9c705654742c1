import { describe, expect, it } from 'vitest';
import { parseClaudeHeaders, parseClaudeUsage, parseClaudePlan } from '../../../../src-main/engine/providers/claude/quota';
import { parseCodexHeaders, parseCodexUsage, parseCodex429 } from '../../../../src-main/engine/providers/codex/quota';
import { parseGeminiCliQuota, parseLoadCodeAssist } from '../../../../src-main/engine/providers/gemini-cli/quota';
import { parseAntigravityModels, parseAntigravitySummary } from '../../../../src-main/engine/providers/antigravity/quota';
import { parseKimiUsage } from '../../../../src-main/engine/providers/kimi/quota';
import { parseXaiCredits, parseXaiMonthly } from '../../../../src-main/engine/providers/xai/quota';
import { parseGoogle429 } from '../../../../src-main/engine/providers/gemini-api/quota-429';
import { providers } from '../../../../src-main/engine/providers';
import type { ProviderId } from '../../../../src-main/engine/providers/provider';
import { readUpstreamFailure } from '../../../../src-main/engine/providers/read-failure';
import { parseDuration } from '../../../../src-main/engine/upstream/failure/headers';
import { classifyWindow, makeWindow, parseResetTime } from '../../../../src-main/engine/quota/window';
import * as fx from '../../../fakes/quota/fixtures';

const { NOW } = fx;

/** A 429 from `provider`'s upstream, parsed once as the pipeline does. */
const limited = (provider: ProviderId, body: string) => readUpstreamFailure(providers[provider], { status: 429, body, now: NOW });
const byId = <T extends { id: string }>(ws: T[]): Record<string, T> => Object.fromEntries(ws.map((w) => [w.id, w]));

describe('window basics', () => {
  it('classifies by length and clamps', () => {
    expect(classifyWindow(18_000)).toBe('5h');
    expect(classifyWindow(86_400)).toBe('daily');
    expect(classifyWindow(604_800)).toBe('weekly');
    expect(classifyWindow(30 * 86_400)).toBe('monthly');
    const w = makeWindow({ id: 'x', label: 'x', kind: '5h', usedPercent: 101.234, resetAt: NaN, windowSeconds: -1, source: 'poll', observedAt: 1 });
    expect(w).toMatchObject({ usedPercent: 100, resetAt: null, windowSeconds: 0 });
    expect(makeWindow({ ...w, usedPercent: -3 }).usedPercent).toBe(0);
  });

  it('reads reset times in seconds, ms and ISO', () => {
    expect(parseResetTime(1_700_000_000)).toBe(1_700_000_000_000);
    expect(parseResetTime('1700000000')).toBe(1_700_000_000_000);
    expect(parseResetTime(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(parseResetTime('2026-11-23T12:00:00Z')).toBe(NOW);
    expect(parseResetTime('soon')).toBeNull();
  });
});

describe('Claude headers', () => {
  it('reads unified rate-limit headers into windows', () => {
    const ws = byId(parseClaudeHeaders(fx.claudeHeaders, NOW));
    expect(Object.keys(ws).sort()).toEqual(['5h', 'extra-usage', 'weekly', 'weekly-oi']);
    expect(ws['5h']).toEqual({
      id: '5h',
      label: '5-hour',
      kind: '5h',
      usedPercent: 42,
      resetAt: NOW + 2 * 3_600_000,
      windowSeconds: 18_000,
      source: 'traffic',
      observedAt: NOW,
    });
    expect(ws.weekly).toMatchObject({ kind: 'weekly', usedPercent: 81.5, resetAt: NOW + 3 * 86_400_000 });
    expect(ws['weekly-oi']).toMatchObject({ kind: 'per-model', usedPercent: 100, model: 'oi' });
    // Overage rejected without a utilization header: the extra-usage meter is full.
    expect(ws['extra-usage']).toMatchObject({ kind: 'credits', usedPercent: 100 });
  });

  it('accepts a Headers object and ignores unrelated headers', () => {
    const h = new Headers({ 'Anthropic-Ratelimit-Unified-5h-Utilization': '0.1', 'content-type': 'text/event-stream' });
    expect(parseClaudeHeaders(h, NOW)).toEqual([expect.objectContaining({ id: '5h', usedPercent: 10, resetAt: null })]);
    expect(parseClaudeHeaders({ 'x-other': '1' }, NOW)).toEqual([]);
  });

  it('reads oauth/usage and the profile plan', () => {
    const ws = byId(parseClaudeUsage(fx.claudeUsageBody, NOW));
    expect(Object.keys(ws).sort()).toEqual(['5h', 'extra-usage', 'weekly', 'weekly-opus', 'weekly-sonnet']);
    expect(ws['5h']).toMatchObject({ usedPercent: 37, resetAt: NOW + 3_600_000, source: 'poll' });
    expect(ws['weekly-sonnet']).toMatchObject({ usedPercent: 100, resetAt: null, kind: 'per-model' });
    expect(ws['extra-usage']).toMatchObject({ usedPercent: 25, balance: 3750 });
    expect(parseClaudePlan(fx.claudeProfileBody)).toBe('Max 20x');
    expect(parseClaudeUsage('garbage', NOW)).toEqual([]);
  });
});

describe('Codex headers', () => {
  it('classifies primary/secondary by window minutes, not position', () => {
    const ws = byId(parseCodexHeaders(fx.codexHeaders, NOW));
    expect(Object.keys(ws).sort()).toEqual(['5h', 'bengalfox:5h', 'credits', 'weekly']);
    expect(ws.weekly).toMatchObject({ kind: 'weekly', usedPercent: 63, resetAt: NOW + 5 * 86_400_000, windowSeconds: 604_800 });
    expect(ws['5h']).toMatchObject({ kind: '5h', usedPercent: 12.5, resetAt: NOW + 3_600_000, source: 'traffic' });
    expect(ws['bengalfox:5h']).toMatchObject({ kind: 'per-model', usedPercent: 100, model: 'bengalfox' });
    expect(ws.credits).toMatchObject({ kind: 'credits', usedPercent: 0, balance: 17.5 });
  });

  it('reads wham/usage', () => {
    const { windows, plan } = parseCodexUsage(fx.codexUsageBody, NOW);
    const ws = byId(windows);
    expect(plan).toBe('plus');
    expect(ws['5h']).toMatchObject({ usedPercent: 22, resetAt: NOW + 7_200_000, source: 'poll' });
    expect(ws.weekly).toMatchObject({ usedPercent: 48 });
    expect(ws['code-review:weekly']).toMatchObject({ kind: 'per-model', usedPercent: 5 });
    expect(ws['bengalfox:5h']).toMatchObject({ kind: 'per-model', usedPercent: 90, label: 'GPT-5.3-Codex-Spark 5-hour' });
    expect(ws.credits).toMatchObject({ usedPercent: 100, balance: 0 });
  });

  it('reads a usage_limit_reached 429', () => {
    expect(parseCodex429(limited('codex', JSON.stringify(fx.codex429Body)))).toEqual([
      expect.objectContaining({ id: '5h', usedPercent: 100, resetAt: NOW + 3_000_000 }),
    ]);
    const weekly = { error: { type: 'usage_limit_reached', resets_in_seconds: 3 * 86_400 } };
    expect(parseCodex429(limited('codex', JSON.stringify(weekly)))).toEqual([expect.objectContaining({ id: 'weekly', usedPercent: 100 })]);
    expect(parseCodex429(limited('codex', '{"error":{"type":"rate_limit_exceeded"}}'))).toEqual([]);
    expect(parseCodex429(limited('codex', 'not json'))).toEqual([]);
  });
});

describe('Google shapes', () => {
  it('reads retrieveUserQuota (lowest bucket per model) and loadCodeAssist', () => {
    const ws = byId(parseGeminiCliQuota(fx.geminiQuotaBody, NOW));
    expect(ws['model:gemini-2.5-pro']).toMatchObject({ usedPercent: 75, kind: 'per-model', resetAt: NOW + 36_000_000 });
    expect(ws['model:gemini-2.5-flash']).toMatchObject({ usedPercent: 0 });
    expect(parseLoadCodeAssist(fx.loadCodeAssistBody)).toEqual({ tier: 'Google AI Pro', projectId: 'proud-lamp-123' });
  });

  it('reads the Antigravity summary and models views', () => {
    const ws = byId(parseAntigravitySummary(fx.antigravitySummaryBody, NOW));
    expect(ws['gemini-5h']).toMatchObject({ kind: '5h', usedPercent: 10, label: 'Gemini models · 5-hour' });
    expect(ws['gemini-weekly']).toMatchObject({ kind: 'weekly', usedPercent: 50 });
    expect(ws['3p-5h']).toMatchObject({ kind: '5h', usedPercent: 98, windowSeconds: 18_000 });
    expect(ws['3p-weekly']).toMatchObject({ kind: 'weekly', usedPercent: 30 });
    const models = byId(parseAntigravityModels(fx.antigravityModelsBody, NOW));
    expect(Object.keys(models).sort()).toEqual(['model:claude-sonnet-4-5', 'model:gemini-3-pro-high']);
    expect(models['model:gemini-3-pro-high']).toMatchObject({ usedPercent: 60, label: 'Gemini 3 Pro (High)' });
  });

  it('reads a RESOURCE_EXHAUSTED 429 as a full per-model window', () => {
    expect(parseGoogle429(limited('gemini-cli', JSON.stringify(fx.google429Body)))).toEqual([
      expect.objectContaining({ id: 'model:gemini-2.5-pro', usedPercent: 100, resetAt: NOW + 3_723_000 }),
    ]);
    const rate = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', metadata: { model: 'x' } }] } };
    expect(parseGoogle429(limited('gemini-cli', JSON.stringify(rate)))).toEqual([]);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('0.25s')).toBe(250);
    expect(parseDuration('abc')).toBeUndefined();
  });
});

describe('Kimi and xAI', () => {
  it('reads Kimi usages (string numbers)', () => {
    const ws = byId(parseKimiUsage(fx.kimiUsageBody, NOW));
    expect(ws.weekly).toMatchObject({ usedPercent: 25, resetAt: NOW + 4 * 86_400_000 });
    expect(ws['5h']).toMatchObject({ usedPercent: 75, windowSeconds: 18_000, resetAt: NOW + 1_800_000 });
  });

  it('reads xAI billing', () => {
    const ws = byId(parseXaiCredits(fx.xaiCreditsBody, NOW));
    expect(ws.weekly).toMatchObject({ kind: 'weekly', usedPercent: 34.5, resetAt: NOW + 2 * 86_400_000 });
    expect(ws['product:grok-code']).toMatchObject({ usedPercent: 20 });
    expect(parseXaiMonthly(fx.xaiMonthlyBody, NOW)).toEqual([expect.objectContaining({ id: 'monthly', usedPercent: 25, balance: 225 })]);
  });
});
