import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEngine, type RunningEngine } from '../harness';
import { startClaudeUpstream, type FakeUpstream } from '../../fakes/upstreams/claude-upstream';
import { startGeminiUpstream } from '../../fakes/upstreams/gemini-upstream';
import { startOpenAIResponsesUpstream, type FakeUpstream as OpenAIFake } from '../../fakes/upstreams/openai-responses-upstream';

/**
 * Key entries that list no models learn them from their upstream's own list; `/v1/models` shows
 * each id with its source and limits; an id no list knows is routed by family and the upstream
 * decides; with no accounts at all the client is told how to add one.
 */
interface ListEntry {
  id: string;
  owned_by: string;
  source?: string;
  context_window?: number;
  max_output_tokens?: number;
  capabilities?: Record<string, boolean>;
}

describe('discovered models in the running engine', () => {
  let claude: FakeUpstream;
  let responses: OpenAIFake;
  let gemini: FakeUpstream;
  let sy: RunningEngine;
  beforeAll(async () => {
    claude = await startClaudeUpstream({ models: ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-nova-5'] });
    responses = await startOpenAIResponsesUpstream({ models: ['gpt-5.5', 'gpt-5.5-codex', 'gpt-6-preview'] });
    gemini = await startGeminiUpstream({ models: ['gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-4-flash-exp'] });
    sy = await startEngine(
      [
        'usage-sqlite: {enable: false}',
        'claude-api-key:',
        `  - {api-key: sk-claude, base-url: "${claude.url}"}`,
        'codex-api-key:',
        `  - {api-key: sk-openai, base-url: "${responses.url}/v1"}`,
        'gemini-api-key:',
        `  - {api-key: sk-gemini, base-url: "${gemini.url}"}`,
        '',
      ].join('\n'),
    );
    await sy.engine.models.idle();
  });
  afterAll(async () => {
    await sy?.close();
    await Promise.all([claude?.close(), responses?.close(), gemini?.close()]);
  });

  it('GET /v1/models lists what each upstream listed, marked discovered, with limits', async () => {
    const res = await fetch(`${sy.url}/v1/models`);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: ListEntry[] };
    const byId = new Map(data.map((m) => [m.id, m]));
    for (const id of ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-nova-5', 'gpt-5.5', 'gpt-5.5-codex', 'gpt-6-preview', 'gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-4-flash-exp']) {
      expect(byId.get(id)?.source, id).toBe('discovered');
    }
    // The discovered lists replace the built-in catalogs (claude-haiku-4-5 was not listed upstream).
    expect(byId.has('claude-haiku-4-5')).toBe(false);
    expect(byId.get('claude-nova-5')).toMatchObject({ owned_by: 'anthropic', context_window: 200_000, max_output_tokens: 64_000 });
    // Capability flags: what the upstream said, completed by the catalog (tools) for a known id.
    expect(byId.get('claude-sonnet-4-6')?.capabilities).toEqual({ tools: true, vision: true, reasoning: true });
    expect(byId.get('gemini-4-flash-exp')).toMatchObject({ owned_by: 'google', context_window: 1_048_576 });
    // Limits the upstream did not give come from the built-in catalog.
    expect(byId.get('gpt-5.5')).toMatchObject({ owned_by: 'openai', context_window: 400_000, capabilities: { tools: true } });
  });

  it('the Anthropic-shaped list carries max_input_tokens / max_tokens', async () => {
    const res = await fetch(`${sy.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } });
    const body = (await res.json()) as { data: Array<Record<string, unknown>> };
    expect(body.data.find((m) => m.id === 'claude-nova-5')).toMatchObject({ type: 'model', max_input_tokens: 200_000, max_tokens: 64_000, source: 'discovered' });
  });

  it('a discovered model is served', async () => {
    const res = await fetch(`${sy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-nova-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(claude.requests.at(-1)?.body).toMatchObject({ model: 'claude-nova-5' });
  });

  it('a model id in no list goes to its family and the upstream decides', async () => {
    const res = await fetch(`${sy.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-7-tomorrow', input: 'hi' }),
    });
    expect(res.status).toBe(200);
    expect(responses.requests.at(-1)?.body).toMatchObject({ model: 'gpt-7-tomorrow' });
  });
});

describe('a key entry added by a config edit (hot reload)', () => {
  let sy: RunningEngine;
  let up: FakeUpstream;
  beforeAll(async () => {
    up = await startClaudeUpstream({ models: ['claude-sonnet-4-6', 'claude-edited-7'] });
    sy = await startEngine('usage-sqlite: {enable: false}\n', { watch: true });
  });
  afterAll(async () => {
    await sy?.close();
    await up?.close();
  });

  it('learns its models as soon as the edit is applied', async () => {
    await sy.writeConfig(['usage-sqlite: {enable: false}', 'claude-api-key:', `  - {api-key: sk-new, base-url: "${up.url}"}`, ''].join('\n'));
    await vi.waitFor(
      async () => {
        const { data } = (await (await fetch(`${sy.url}/v1/models`)).json()) as { data: ListEntry[] };
        expect(data.find((m) => m.id === 'claude-edited-7')?.source).toBe('discovered');
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(up.listRequests).toHaveLength(1);
  });
});

describe('no accounts at all', () => {
  let sy: RunningEngine;
  beforeAll(async () => {
    sy = await startEngine('usage-sqlite: {enable: false}\n');
  });
  afterAll(() => sy?.close());

  it('says how to add one instead of "not served by any configured account"', async () => {
    const res = await fetch(`${sy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/No accounts yet — sign in with `switchyard login <provider>` or add an API key/);
  });
});
