import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../harness';
import { startClaudeUpstream, type FakeUpstream } from '../../fakes/upstreams/claude-upstream';
import { startOpenAIChatUpstream, type FakeUpstream as ChatUpstream } from '../../fakes/upstreams/openai-chat-upstream';

/**
 * The Keys page "Test" against the real engine: one tiny request through ONE config entry
 * (its key, base URL, headers), not through routing — the other entries are never tried, no
 * cooldown is set, no client usage is recorded — and a failure carries the upstream's message.
 */
let claude: FakeUpstream;
let compat: ChatUpstream;
let sy: RunningEngine;
/** The key a request carried (a custom base URL gets it as a Bearer token, api.anthropic.com as x-api-key). */
const keyOf = (h: Record<string, string | string[] | undefined>) => String(h['x-api-key'] ?? h.authorization ?? '').replace(/^Bearer /, '');

beforeAll(async () => {
  claude = await startClaudeUpstream({
    script: (rec) =>
      keyOf(rec.headers) === 'sk-ant-revoked-0000'
        ? { error: { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } } }
        : { steps: [{ type: 'text', text: 'p' }], usage: { input: 8, output: 1 } },
  });
  compat = await startOpenAIChatUpstream({ script: () => ({ status: 402, errorBody: { error: { message: 'Insufficient credits on this key', type: 'billing' } } }) });
  sy = await startEngine(
    [
      'remote-management: {secret-key: m}',
      'claude-api-key:',
      '  - api-key: sk-ant-good-key-1111',
      `    base-url: ${claude.url}`,
      '    headers: {x-team: blue}',
      '  - api-key: sk-ant-revoked-0000',
      `    base-url: ${claude.url}`,
      'openai-compatibility:',
      '  - name: router',
      `    base-url: ${compat.url}/v1`,
      '    api-key: or-key-5555aaaa',
      '    models: [{name: vendor/model-a, alias: a}]',
    ].join('\n'),
  );
});
afterAll(async () => {
  await sy?.close();
  await claude?.close();
  await compat?.close();
});

async function call<T>(channel: string, payload: unknown): Promise<{ ok: boolean; data: T; error?: { code: string; message: string } }> {
  const res = await fetch(`${sy.url}/v0/management/ui/${channel}`, { method: 'POST', headers: { 'x-management-key': 'm', 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return (await res.json()) as { ok: boolean; data: T };
}
type Entry = { id: string; maskedKey: string; section: string; headers: Record<string, string> };
type Result = { ok: boolean; status: number; latencyMs: number; model: string; url: string; error: string | null };
const entries = async () => (await call<{ entries: Entry[] }>('app:keys:list', {})).data.entries;

describe('testing one key entry', () => {
  it('sends exactly one tiny request with that entry’s key and headers, and reports status and latency', async () => {
    const [good] = await entries();
    const before = claude.requests.length;
    const r = await call<Result>('app:keys:test', { id: good.id, model: 'claude-haiku-4-5' });
    expect(r.ok).toBe(true);
    expect(r.data).toMatchObject({ ok: true, status: 200, model: 'claude-haiku-4-5', url: `${claude.url}/v1/messages`, error: null });
    expect(r.data.latencyMs).toBeGreaterThanOrEqual(0);
    const sent = claude.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(keyOf(sent[0].headers)).toBe('sk-ant-good-key-1111');
    expect(sent[0].headers['x-team']).toBe('blue');
    expect(sent[0].body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 1, messages: [{ role: 'user' }] });
    expect(JSON.stringify(r)).not.toContain('sk-ant-good-key-1111');
  });

  it('shows the upstream’s own message for a rejected key, tries no other entry and cools nothing', async () => {
    const [, revoked] = await entries();
    const before = claude.requests.length;
    const r = await call<Result>('app:keys:test', { id: revoked.id, model: 'claude-haiku-4-5' });
    expect(r.data).toMatchObject({ ok: false, status: 401, error: 'invalid x-api-key' });
    expect(claude.requests.slice(before).map((x) => keyOf(x.headers))).toEqual(['sk-ant-revoked-0000']);
    const accounts = (await call<{ accounts: Array<{ provider: string; status: string }> }>('app:accounts:list', {})).data.accounts;
    expect(accounts.filter((a) => a.provider === 'claude-api').map((a) => a.status)).toEqual(['active', 'active']);
    expect((await call<{ requests: number }>('app:usage:totals', { from: 0, to: Date.now() + 1000 })).data.requests).toBe(0);
  });

  it('uses the entry’s first model when none is named, and the Chat format’s own error message', async () => {
    const compatEntry = (await entries()).find((e) => e.section === 'openai-compatibility')!;
    const r = await call<Result>('app:keys:test', { id: compatEntry.id });
    expect(r.data).toMatchObject({ ok: false, status: 402, model: 'vendor/model-a', error: 'Insufficient credits on this key' });
    expect(compat.requests).toHaveLength(1);
    expect(compat.requests[0].body).toMatchObject({ model: 'vendor/model-a', max_tokens: 1 });
  });

  it('reports an unreachable upstream without an HTTP status', async () => {
    const [good] = await entries();
    const edited = await call<Entry>('app:keys:update', { id: good.id, patch: { apiKey: good.maskedKey, baseUrl: 'http://127.0.0.1:9' } });
    expect(edited.ok).toBe(true);
    const r = await call<Result>('app:keys:test', { id: edited.data.id, model: 'claude-haiku-4-5' });
    expect(r.data).toMatchObject({ ok: false, status: 0 });
    expect(r.data.error).toMatch(/unreachable/);
    expect(sy.engine.config.current['claude-api-key'][0]['api-key']).toBe('sk-ant-good-key-1111');
  });
});
