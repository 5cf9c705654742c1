import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { invokeChannels, type InvokeChannel, type RequestInput, type Response } from '../../../../src-shared/contract';
import { createControl, type Control } from '../../../../src-main/engine/control';
import { FakeEngine } from './fake-facade';

let engine: FakeEngine;
let control: Control;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

async function call<K extends InvokeChannel>(channel: K, payload?: RequestInput<K>): Promise<Response<K>> {
  const r = await control.invoke(channel, payload, { transport: 'test' });
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.data as Response<K>;
}
async function fails(channel: InvokeChannel, payload: unknown): Promise<string> {
  const r = await control.invoke(channel, payload, { transport: 'test' });
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error.code;
}
const configText = () => readFileSync(engine.config.file, 'utf8');

beforeEach(async () => {
  engine = await FakeEngine.create({ now: () => NOW, configYaml: '# my comment\nport: 8317\napi-keys:\n  - sk-test-0123456789abcdef\n' });
  engine.addOauthAccount({ id: 'claude:a', provider: 'claude', label: 'a@example.com' }, { plan: 'max' });
  engine.addOauthAccount({ id: 'codex:b', provider: 'codex', label: 'b@example.com' }, { status: 'cooling', coolingUntil: NOW + 60_000 });
  let n = 0;
  control = createControl(engine, { now: () => NOW, newApiKey: () => `sk-sy-generated-${++n}-abcdefgh`, quotaThrottleMs: 10, statusThrottleMs: 10 });
});
afterEach(() => {
  control.dispose();
  engine.close();
});

/** The key-entry channels have their specs in key-handlers.test.ts (same fake engine, more cases). */
const keyChannels = ['app:keys:list', 'app:keys:add', 'app:keys:remove', 'app:keys:update', 'app:keys:test'] as const;

/** One spec per invoke channel; the completeness test below keeps this list honest. */
const specs: Record<Exclude<InvokeChannel, (typeof keyChannels)[number]>, () => Promise<void>> = {
  'app:status:get': async () => {
    engine.recordRequest({ requestedModel: 'm', time: NOW - 1000, inputTokens: 5, outputTokens: 7 });
    engine.recordRequest({ requestedModel: 'm', time: NOW - 500, status: 500, errorClass: 'upstream' });
    const s = await call('app:status:get');
    expect(s).toMatchObject({ state: 'running', baseUrl: 'http://127.0.0.1:8317', mode: 'desktop', version: '0.1.0-test' });
    expect(s.accounts).toEqual({ total: 2, active: 1, cooling: 1, needsSignIn: 0, disabled: 0 });
    expect(s.today).toEqual({ requests: 2, tokens: 12 + 30, errors: 1 });
  },
  'app:engine:stop': async () => {
    const s = await call('app:engine:stop');
    expect(s.state).toBe('stopped');
    expect(s.baseUrl).toBeNull();
  },
  'app:engine:start': async () => {
    await call('app:engine:stop');
    expect((await call('app:engine:start')).state).toBe('running');
  },
  'app:engine:restart': async () => {
    expect((await call('app:engine:restart')).state).toBe('running');
  },
  'app:providers:list': async () => {
    const { providers } = await call('app:providers:list');
    expect(providers.map((p) => p.id)).toContain('claude');
  },
  'app:accounts:list': async () => {
    const { accounts } = await call('app:accounts:list');
    expect(accounts.map((a) => a.id)).toEqual(['claude:a', 'codex:b']);
    expect(accounts[0]).toMatchObject({ plan: 'max', status: 'active', kind: 'oauth', maskedKey: null });
    expect(accounts[1]).toMatchObject({ status: 'cooling', coolingUntil: NOW + 60_000 });
  },
  'app:accounts:remove': async () => {
    expect(await call('app:accounts:remove', { id: 'claude:a' })).toEqual({ removed: true });
    expect(await call('app:accounts:remove', { id: 'claude:a' })).toEqual({ removed: false });
  },
  'app:accounts:reset-cooldown': async () => {
    const a = await call('app:accounts:reset-cooldown', { id: 'codex:b' });
    expect(a).toMatchObject({ id: 'codex:b', status: 'active', coolingUntil: null });
    expect(await fails('app:accounts:reset-cooldown', { id: 'nope' })).toBe('not-found');
  },
  'app:accounts:set-enabled': async () => {
    expect((await call('app:accounts:set-enabled', { id: 'claude:a', enabled: false })).status).toBe('disabled');
    expect((await call('app:accounts:set-enabled', { id: 'claude:a', enabled: true })).status).toBe('active');
    expect(await fails('app:accounts:set-enabled', { id: 'nope', enabled: true })).toBe('not-found');
  },
  'app:accounts:update': async () => {
    const a = await call('app:accounts:update', { id: 'claude:a', priority: 5, prefix: 'team' });
    expect(a).toMatchObject({ priority: 5, prefix: 'team' });
    expect((await call('app:accounts:update', { id: 'claude:a', prefix: '' })).prefix).toBeNull();
    expect(await fails('app:accounts:update', { id: 'claude:a', prefix: 'has space' })).toBe('bad-request');
  },
  'app:accounts:sign-in-start': async () => {
    const s = await call('app:accounts:sign-in-start', { provider: 'claude' });
    expect(s).toMatchObject({ provider: 'claude', kind: 'authorize-url', acceptsPastedRedirect: true });
    const dev = await call('app:accounts:sign-in-start', { provider: 'qwen' });
    expect(dev).toMatchObject({ kind: 'device-code', userCode: 'WDJB-MJHT' });
    expect(await fails('app:accounts:sign-in-start', { provider: 'gemini-api' })).toBe('bad-request');
    expect(await fails('app:accounts:sign-in-start', { provider: 'nope' })).toBe('not-found');
  },
  'app:accounts:sign-in-paste-redirect': async () => {
    const events: string[] = [];
    control.events.subscribe((e) => events.push(e.event));
    const s = await call('app:accounts:sign-in-start', { provider: 'codex', mode: 'manual' });
    expect(await fails('app:accounts:sign-in-paste-redirect', { flowId: s.flowId, redirectUrl: 'not a url' })).toBe('bad-request');
    expect(await fails('app:accounts:sign-in-paste-redirect', { flowId: s.flowId, redirectUrl: 'http://localhost:1455/cb?state=x' })).toBe('bad-request');
    expect(await call('app:accounts:sign-in-paste-redirect', { flowId: s.flowId, redirectUrl: 'http://localhost:1455/auth/callback?code=abc&state=x' })).toEqual({ accepted: true });
    await new Promise((r) => setTimeout(r, 30));
    expect(events).toContain('app:accounts:sign-in-result');
    expect((await call('app:accounts:list')).accounts.map((a) => a.label)).toContain('pasted-abc@example.com');
    expect(await fails('app:accounts:sign-in-paste-redirect', { flowId: s.flowId, redirectUrl: 'http://localhost/cb?code=z' })).toBe('not-found');
  },
  'app:accounts:sign-in-cancel': async () => {
    const s = await call('app:accounts:sign-in-start', { provider: 'claude' });
    expect(await call('app:accounts:sign-in-cancel', { flowId: s.flowId })).toEqual({ cancelled: true });
    expect(await call('app:accounts:sign-in-cancel', { flowId: s.flowId })).toEqual({ cancelled: false });
  },
  'app:quota:get': async () => {
    engine.setWindows('claude:a', [{ id: '5h', label: '5-hour', kind: '5h', usedPercent: 42, resetAt: NOW + 3_600_000, windowSeconds: 18_000, source: 'traffic', observedAt: NOW - 12_000 }]);
    const q = await call('app:quota:get');
    expect(q.thresholds).toEqual({ warnPercentLeft: 20, criticalPercentLeft: 5 });
    expect(q.accounts.find((a) => a.accountId === 'claude:a')?.windows[0]).toMatchObject({ usedPercent: 42, source: 'traffic' });
    expect(q.accounts.find((a) => a.accountId === 'codex:b')?.windows).toEqual([]);
  },
  'app:quota:refresh': async () => {
    await call('app:quota:refresh', { accountId: 'codex:b' });
    await call('app:quota:refresh');
    expect(engine.refreshCalls).toEqual(['codex:b', undefined]);
    expect(await fails('app:quota:refresh', { accountId: 'ghost' })).toBe('not-found');
  },
  'app:quota:set-thresholds': async () => {
    expect(await call('app:quota:set-thresholds', { warnPercentLeft: 30, criticalPercentLeft: 10 })).toEqual({ warnPercentLeft: 30, criticalPercentLeft: 10 });
    expect(await fails('app:quota:set-thresholds', { warnPercentLeft: 5, criticalPercentLeft: 10 })).toBe('bad-request');
  },
  'app:usage:series': async () => {
    engine.recordRequest({ requestedModel: 'gpt-a', time: NOW - 2 * 3_600_000 });
    engine.recordRequest({ requestedModel: 'gpt-a', time: NOW - 1000 });
    engine.recordRequest({ requestedModel: 'gpt-b', time: NOW - 1000 });
    const { points } = await call('app:usage:series', { from: NOW - 86_400_000, to: NOW + 1, bucket: 'hour', groupBy: 'model' });
    expect(points.reduce((s, p) => s + p.requests, 0)).toBe(3);
    expect(new Set(points.map((p) => p.key))).toEqual(new Set(['gpt-a', 'gpt-b']));
    expect(await fails('app:usage:series', { from: NOW, to: NOW - 1, bucket: 'hour', groupBy: 'model' })).toBe('bad-request');
    expect(await fails('app:usage:series', { from: 0, to: 1, bucket: 'year', groupBy: 'model' })).toBe('bad-request');
  },
  'app:usage:totals': async () => {
    engine.recordRequest({ requestedModel: 'm', time: NOW - 1000, inputTokens: 1, outputTokens: 2 });
    expect(await call('app:usage:totals', { from: NOW - 10_000, to: NOW + 1 })).toMatchObject({ requests: 1, totalTokens: 3, errors: 0 });
  },
  'app:usage:cost-basis': async () => {
    engine.recordRequest({ requestedModel: 'sonnet', time: NOW - 2000, accountId: 'claude:a', provider: 'claude', inputTokens: 100, outputTokens: 10 });
    engine.recordRequest({ requestedModel: 'sonnet', time: NOW - 1000, accountId: 'claude:a', provider: 'claude', inputTokens: 50, outputTokens: 5 });
    engine.recordRequest({ requestedModel: 'gpt-5', time: NOW - 1000, accountId: 'codex:b', provider: 'codex', inputTokens: 7, outputTokens: 3 });
    const { rows } = await call('app:usage:cost-basis', { from: NOW - 10_000, to: NOW + 1 });
    expect(rows.map((r) => [r.accountId, r.model, r.requests, r.inputTokens, r.outputTokens])).toEqual([['claude:a', 'sonnet', 2, 150, 15], ['codex:b', 'gpt-5', 1, 7, 3]]);
    expect(await fails('app:usage:cost-basis', { from: NOW, to: NOW - 1 })).toBe('bad-request');
  },
  'app:usage:recent': async () => {
    engine.recordRequest({ requestedModel: 'ok', time: NOW - 3000 });
    engine.recordRequest({ requestedModel: 'bad', time: NOW - 2000, status: 429, errorClass: 'rate_limit' });
    engine.recordRequest({ requestedModel: 'ok2', time: NOW - 1000 });
    const all = await call('app:usage:recent', { limit: 10 });
    expect(all.entries.map((e) => e.requestedModel)).toEqual(['ok2', 'bad', 'ok']);
    const errs = await call('app:usage:recent', { limit: 10, filters: { onlyErrors: true } });
    expect(errs.entries.map((e) => e.requestedModel)).toEqual(['bad']);
  },
  'app:mappings:list': async () => {
    expect(await call('app:mappings:list')).toEqual({ aliases: [], exclusions: [], payloadRules: [] });
  },
  'app:mappings:alias-create': async () => {
    const a = await call('app:mappings:alias-create', { alias: 'fast', provider: 'claude', upstreamModel: 'claude-haiku-4-5', reasoning: 'low', prefix: 'team' });
    expect(a).toMatchObject({ alias: 'fast', provider: 'claude', upstreamModel: 'claude-haiku-4-5', reasoning: 'low', prefix: 'team', entryId: null });
    expect(configText()).toMatch(/oauth-model-alias:\s+claude:\s+- name: claude-haiku-4-5\s+alias: fast/);
    expect(await fails('app:mappings:alias-create', { alias: 'fast', provider: 'claude', upstreamModel: 'x' })).toBe('conflict');
    expect(await fails('app:mappings:alias-create', { alias: 'k', provider: 'gemini-api', upstreamModel: 'x' })).toBe('bad-request');
    // Nobody signed in to Qwen: the alias could never be served, so it is refused, not saved.
    expect(await fails('app:mappings:alias-create', { alias: 'q', provider: 'qwen', upstreamModel: 'qwen3-coder' })).toBe('bad-request');
    expect(configText()).not.toContain('qwen3-coder');
    const key = await call('app:keys:add', { section: 'gemini-api-key', apiKey: 'AIza-key-abcdefgh' });
    const k = await call('app:mappings:alias-create', { alias: 'gem', provider: 'gemini-api', upstreamModel: 'gemini-2.5-pro' });
    expect(k.entryId).toBe(key.id);
    expect((await call('app:mappings:preview', { model: 'fast' })).steps[0]).toContain('claude-haiku-4-5');
  },
  'app:mappings:alias-update': async () => {
    const a = await call('app:mappings:alias-create', { alias: 'fast', provider: 'claude', upstreamModel: 'claude-haiku-4-5' });
    const u = await call('app:mappings:alias-update', { id: a.id, alias: { alias: 'quick', provider: 'claude', upstreamModel: 'claude-haiku-4-5' } });
    expect(u.alias).toBe('quick');
    const moved = await call('app:mappings:alias-update', { id: u.id, alias: { alias: 'quick', provider: 'codex', upstreamModel: 'gpt-5' } });
    expect(moved.provider).toBe('codex');
    expect((await call('app:mappings:list')).aliases.map((x) => `${x.provider}/${x.alias}`)).toEqual(['codex/quick']);
    expect(await fails('app:mappings:alias-update', { id: 'nope', alias: { alias: 'q', provider: 'claude', upstreamModel: 'm' } })).toBe('not-found');
  },
  'app:mappings:alias-delete': async () => {
    const a = await call('app:mappings:alias-create', { alias: 'fast', provider: 'claude', upstreamModel: 'claude-haiku-4-5' });
    expect(await call('app:mappings:alias-delete', { id: a.id })).toEqual({ removed: true });
    expect(configText()).not.toContain('oauth-model-alias');
  },
  'app:mappings:exclusion-add': async () => {
    const x = await call('app:mappings:exclusion-add', { provider: 'gemini-cli', pattern: '*-preview' });
    expect(x).toMatchObject({ provider: 'gemini-cli', pattern: '*-preview', entryId: null });
    expect(await fails('app:mappings:exclusion-add', { provider: 'gemini-cli', pattern: '*-preview' })).toBe('conflict');
    expect(await fails('app:mappings:exclusion-add', { provider: 'claude-api', pattern: 'x' })).toBe('bad-request');
  },
  'app:mappings:exclusion-delete': async () => {
    const x = await call('app:mappings:exclusion-add', { provider: 'gemini-cli', pattern: '*-preview' });
    expect(await call('app:mappings:exclusion-delete', { id: x.id })).toEqual({ removed: true });
    expect((await call('app:mappings:list')).exclusions).toEqual([]);
  },
  'app:mappings:payload-rule-save': async () => {
    const r = await call('app:mappings:payload-rule-save', { rule: { mode: 'override', models: [{ name: 'gpt-*' }], params: { 'reasoning.effort': 'high' } } });
    expect(r).toMatchObject({ mode: 'override', params: { 'reasoning.effort': 'high' }, paths: [] });
    const f = await call('app:mappings:payload-rule-save', { id: r.id, rule: { mode: 'filter', models: [{ name: 'gpt-*' }], paths: ['temperature'] } });
    expect(f).toMatchObject({ mode: 'filter', paths: ['temperature'] });
    const rules = (await call('app:mappings:list')).payloadRules;
    expect(rules.map((x) => x.mode)).toEqual(['filter']);
    expect(await fails('app:mappings:payload-rule-save', { rule: { mode: 'default', models: [] } })).toBe('bad-request');
  },
  'app:mappings:payload-rule-delete': async () => {
    const r = await call('app:mappings:payload-rule-save', { rule: { mode: 'default', models: [{ name: '*' }], params: { temperature: 0.2 } } });
    expect(await call('app:mappings:payload-rule-delete', { id: r.id })).toEqual({ removed: true });
    expect(await call('app:mappings:payload-rule-delete', { id: r.id })).toEqual({ removed: false });
  },
  'app:mappings:preview': async () => {
    const p = await call('app:mappings:preview', { model: 'whatever' });
    expect(p.resolved).toBe(true);
    expect(p.candidates.length).toBe(2);
  },
  'app:mappings:test': async () => {
    const r = await call('app:mappings:test', { model: 'm', prompt: 'hello' });
    expect(r).toMatchObject({ ok: true, text: 'echo: hello' });
    expect(await fails('app:mappings:test', { model: 'has space', prompt: 'x' })).toBe('bad-request');
  },
  'app:settings:get': async () => {
    const s = await call('app:settings:get');
    expect(s).toMatchObject({ host: '127.0.0.1', port: 8317, routingStrategy: 'round-robin', launchAtLogin: false, theme: 'system', language: 'en' });
    expect(s.apiKeys).toEqual([{ id: expect.stringMatching(/^key:/), label: 'key #1', masked: 'sk-…cdef', createdAt: null }]);
    expect(JSON.stringify(s)).not.toContain('0123456789abcdef');
  },
  'app:settings:update': async () => {
    const r = await call('app:settings:update', { port: 9000, routingStrategy: 'fill-first', theme: 'dark', language: 'zh-CN', quotaPolling: { enabled: false } });
    expect(r.restartRequired).toBe(true);
    expect(r.settings).toMatchObject({ port: 9000, routingStrategy: 'fill-first', theme: 'dark', language: 'zh-CN', quotaPolling: { enabled: false, budgetPerHour: 0 } });
    expect(configText()).toMatch(/port: 9000/);
    expect(configText()).toContain('# my comment');
    const again = await call('app:settings:update', { quotaPolling: { enabled: true } });
    expect(again.settings.quotaPolling).toMatchObject({ enabled: true, budgetPerHour: 12 });
    expect(again.restartRequired).toBe(false);
    expect(await fails('app:settings:update', { port: 70000 })).toBe('bad-request');
    expect(await fails('app:settings:update', { bogus: 1 })).toBe('bad-request');
  },
  'app:settings:api-key-generate': async () => {
    const g = await call('app:settings:api-key-generate', {});
    expect(g.secret).toBe('sk-sy-generated-1-abcdefgh');
    expect(g.key).toMatchObject({ label: 'key #2', masked: 'sk-…efgh' });
    expect(engine.config.current['api-keys']).toContain(g.secret);
  },
  'app:settings:api-key-revoke': async () => {
    const g = await call('app:settings:api-key-generate', {});
    expect(await call('app:settings:api-key-revoke', { id: g.key.id })).toEqual({ removed: true });
    expect(engine.config.current['api-keys']).not.toContain(g.secret);
    expect(await call('app:settings:api-key-revoke', { id: g.key.id })).toEqual({ removed: false });
  },
  'app:settings:api-key-reveal': async () => {
    const [k] = (await call('app:settings:get')).apiKeys;
    expect(await call('app:settings:api-key-reveal', { id: k.id })).toEqual({ secret: 'sk-test-0123456789abcdef' });
    expect(await fails('app:settings:api-key-reveal', { id: 'key:none' })).toBe('not-found');
  },
};

describe('control handlers', () => {
  it('has a spec for every invoke channel', () => {
    expect([...Object.keys(specs), ...keyChannels].sort()).toEqual([...invokeChannels].sort());
    expect(Object.keys(control.handlers).sort()).toEqual([...invokeChannels].sort());
  });
  for (const [channel, spec] of Object.entries(specs)) it(channel, spec);
});

describe('headless mode', () => {
  it('has no desktop-only settings and refuses to change them', async () => {
    const headless = await FakeEngine.create({ mode: 'headless' });
    const c = createControl(headless);
    try {
      const s = await c.invoke('app:settings:get', {}, { transport: 'http' });
      expect(s.ok && (s.data as { launchAtLogin: unknown }).launchAtLogin).toBeNull();
      const r = await c.invoke('app:settings:update', { launchAtLogin: true }, { transport: 'http' });
      expect(!r.ok && r.error.code).toBe('unsupported');
      const st = await c.invoke('app:status:get', undefined, { transport: 'http' });
      expect(st.ok && (st.data as { mode: string }).mode).toBe('headless');
    } finally {
      c.dispose();
      headless.close();
    }
  });
});
