import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { InvokeChannel, RequestInput, Response } from '../../../../src-shared/contract';
import { createControl, type Control } from '../../../../src-main/engine/control';
import { FakeEngine } from './fake-facade';

/** The key-entry channels: list, add, remove, edit in place (secrets stay masked), test one entry. */
let engine: FakeEngine;
let control: Control;

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
  engine = await FakeEngine.create({ configYaml: '# my comment\nport: 8317\napi-keys:\n  - sk-test-0123456789abcdef\n' });
  control = createControl(engine, { quotaThrottleMs: 10, statusThrottleMs: 10 });
});
afterEach(() => {
  control.dispose();
  engine.close();
});

describe('key entries', () => {
  it('app:keys:list', async () => {
    expect((await call('app:keys:list')).entries).toEqual([]);
  });

  it('app:keys:add', async () => {
    const e = await call('app:keys:add', { section: 'claude-api-key', apiKey: 'sk-ant-secret-value-1234', label: 'work' });
    expect(e).toMatchObject({ section: 'claude-api-key', label: 'work', maskedKey: 'sk-…1234' });
    expect(JSON.stringify(e)).not.toContain('secret-value');
    expect(configText()).toContain('# my comment');
    expect(configText()).toContain('sk-ant-secret-value-1234');
    expect((await call('app:keys:list', { section: 'claude-api-key' })).entries).toHaveLength(1);
    expect((await call('app:accounts:list')).accounts.some((a) => a.provider === 'claude-api')).toBe(true);
    expect(await fails('app:keys:add', { section: 'claude-api-key', apiKey: 'sk-ant-secret-value-1234' })).toBe('conflict');
    expect(await fails('app:keys:add', { section: 'openai-compatibility', apiKey: 'k' })).toBe('bad-request');
    const c = await call('app:keys:add', { section: 'openai-compatibility', apiKey: 'or-key-99999999', name: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1', models: [{ name: 'x/y', alias: 'y' }] });
    expect(c).toMatchObject({ name: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1', models: [{ name: 'x/y', alias: 'y' }] });
  });

  it('app:keys:remove', async () => {
    const e = await call('app:keys:add', { section: 'gemini-api-key', apiKey: 'AIza-0000-1111-2222' });
    expect(await call('app:keys:remove', { id: e.id })).toEqual({ removed: true });
    expect(configText()).not.toContain('AIza-0000-1111-2222');
    expect(await call('app:keys:remove', { id: e.id })).toEqual({ removed: false });
  });

  it('app:keys:update edits in place; masked values sent back keep the stored secrets', async () => {
    const e = await call('app:keys:add', { section: 'claude-api-key', apiKey: 'sk-ant-first-secret-1111' });
    // The whole form sent back as read: nothing secret changes, the label, headers and proxy do.
    const u = await call('app:keys:update', {
      id: e.id,
      patch: { apiKey: e.maskedKey, label: 'team', headers: { 'x-api-team': 'hdr-secret-abcdef99', 'anthropic-beta': 'tools-1' }, proxyUrl: 'http://me:pass-word-1@proxy.local:3128', models: [{ name: 'claude-sonnet-4-5', alias: 'sonnet' }] },
    });
    expect(u.id).toBe(e.id);
    expect(u).toMatchObject({ label: 'team', maskedKey: 'sk-…1111', models: [{ name: 'claude-sonnet-4-5', alias: 'sonnet' }] });
    expect(u.headers).toEqual({ 'x-api-team': 'hdr-…ef99', 'anthropic-beta': 'tools-1' });
    expect(u.proxyUrl).toBe('http://me:…@proxy.local:3128/');
    expect(JSON.stringify(u)).not.toMatch(/first-secret|hdr-secret|pass-word/);
    const again = await call('app:keys:update', { id: u.id, patch: { apiKey: u.maskedKey, headers: u.headers, proxyUrl: u.proxyUrl, prefix: 'p1' } });
    expect(again.id).toBe(e.id);
    const entry = engine.config.current['claude-api-key'][0];
    expect(entry).toMatchObject({ 'api-key': 'sk-ant-first-secret-1111', 'proxy-url': 'http://me:pass-word-1@proxy.local:3128', prefix: 'p1', label: 'team' });
    expect(entry.headers).toEqual({ 'x-api-team': 'hdr-secret-abcdef99', 'anthropic-beta': 'tools-1' });
    expect(configText()).toContain('# my comment');
    // A new key is a new identity; clearing a field removes it from the file.
    const k = await call('app:keys:update', { id: e.id, patch: { apiKey: 'sk-ant-second-key-2222', label: null, headers: null } });
    expect(k.id).not.toBe(e.id);
    expect(k.maskedKey).toBe('sk-…2222');
    expect(engine.config.current['claude-api-key'][0]).not.toHaveProperty('label');
    expect(engine.config.current['claude-api-key'][0]).not.toHaveProperty('headers');
    expect(await fails('app:keys:update', { id: e.id, patch: { label: 'x' } })).toBe('not-found');
    // A masked value that stands for nothing stored is refused, never written as is.
    expect(await fails('app:keys:update', { id: k.id, patch: { apiKey: 'sk-…9999' } })).toBe('bad-request');
    expect(configText()).not.toContain('…');
  });

  it('app:keys:update refuses to turn an entry into a duplicate of another', async () => {
    await call('app:keys:add', { section: 'gemini-api-key', apiKey: 'AIza-one-11111111' });
    const two = await call('app:keys:add', { section: 'gemini-api-key', apiKey: 'AIza-two-22222222' });
    expect(await fails('app:keys:update', { id: two.id, patch: { apiKey: 'AIza-one-11111111' } })).toBe('conflict');
    expect(engine.config.current['gemini-api-key'].map((x) => x['api-key'])).toEqual(['AIza-one-11111111', 'AIza-two-22222222']);
    const compat = await call('app:keys:add', { section: 'openai-compatibility', apiKey: 'or-key-99999999', name: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1' });
    expect(await fails('app:keys:update', { id: compat.id, patch: { baseUrl: null } })).toBe('bad-request');
    expect(await fails('app:keys:update', { id: two.id, patch: { name: 'x' } })).toBe('bad-request');
    const renamed = await call('app:keys:update', { id: compat.id, patch: { name: 'router2', baseUrl: 'https://example.test/v1' } });
    expect(renamed).toMatchObject({ name: 'router2', baseUrl: 'https://example.test/v1', maskedKey: 'or-…9999', keyCount: 1 });
  });

  it('app:keys:test names the entry it tests and says when the engine cannot', async () => {
    expect(await fails('app:keys:test', { id: 'claude-api-key:nope' })).toBe('not-found');
    const e = await call('app:keys:add', { section: 'claude-api-key', apiKey: 'sk-ant-test-key-3333' });
    expect(await fails('app:keys:test', { id: e.id })).toBe('unsupported');
    const seen: unknown[] = [];
    Object.assign(engine.routing, {
      testKeyEntry: async (at: unknown, model: string | null) => {
        seen.push([at, model]);
        return { ok: false, status: 401, latencyMs: 12, model: model ?? 'claude-x', url: 'http://up/v1/messages', error: 'invalid x-api-key' };
      },
    });
    expect(await call('app:keys:test', { id: e.id, model: 'claude-haiku-4-5' })).toMatchObject({ ok: false, status: 401, error: 'invalid x-api-key' });
    expect(seen).toEqual([[{ section: 'claude-api-key', index: 0 }, 'claude-haiku-4-5']]);
  });
});
