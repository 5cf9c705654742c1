import { afterAll, beforeAll, beforeEach, afterEach, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../integration/harness';
import type { FakeUpstream as ClaudeFake } from '../fakes/upstreams/claude-upstream';
import type { FakeUpstream as OpenAIFake } from '../fakes/upstreams/openai-chat-upstream';
import { describeClient, describeRun, ROUND_TRIP_DONE, scratch, type Scratch } from './clients';
import { runClaude, runCodex, runGemini } from './run';
import { claudeUpstream, geminiUpstream, responsesUpstream, sawMarker } from './upstreams';

/**
 * The real Claude Code, Codex CLI and Gemini CLI through Switchyard to upstreams of their own
 * wire format, with key entries that list no models: the models come from each upstream's own
 * list (or, for an id in no list, from its family), and each CLI finishes a text turn and a tool
 * round trip.
 */
let claude: ClaudeFake;
let responses: OpenAIFake;
let gemini: ClaudeFake;
let sy: RunningEngine;
let s: Scratch;

beforeAll(async () => {
  claude = await claudeUpstream();
  responses = await responsesUpstream();
  gemini = await geminiUpstream(() => s.markerPath);
  sy = await startEngine(
    [
      'usage-sqlite: {enable: false}',
      'request-retry: 0',
      'claude-api-key:',
      `  - {api-key: sk-up-claude, base-url: "${claude.url}"}`,
      'codex-api-key:',
      `  - {api-key: sk-up-openai, base-url: "${responses.url}/v1"}`,
      'gemini-api-key:',
      `  - {api-key: sk-up-gemini, base-url: "${gemini.url}"}`,
      '',
    ].join('\n'),
  );
  await sy.engine.models.idle();
});
afterAll(async () => {
  await sy?.close();
  await Promise.all([claude?.close(), responses?.close(), gemini?.close()]);
});
beforeEach(async () => {
  s = await scratch();
});
afterEach(() => s.cleanup());

it('the key entries learned their models from the upstreams’ own lists', async () => {
  const { data } = (await (await fetch(`${sy.url}/v1/models`)).json()) as { data: Array<{ id: string; source: string }> };
  const discovered = data.filter((m) => m.source === 'discovered').map((m) => m.id);
  expect(discovered).toEqual(expect.arrayContaining(['claude-sonnet-4-6', 'claude-opus-4-6', 'gpt-5.5', 'gpt-5.5-codex', 'gemini-3-pro-preview', 'gemini-3-flash-preview']));
});

describeClient('claude', 'Claude Code → Switchyard → Anthropic Messages', (cmd) => {
  it('text turn on claude-sonnet-4-6', async () => {
    const r = await runClaude(cmd, s, { baseUrl: sy.url, model: 'claude-sonnet-4-6', turn: 'pong' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(claude.requests.at(-1)?.body).toMatchObject({ model: 'claude-sonnet-4-6' });
  }, 120_000);

  it('tool round trip (Bash cat marker.txt)', async () => {
    const before = claude.requests.length;
    const r = await runClaude(cmd, s, { baseUrl: sy.url, model: 'claude-sonnet-4-6', turn: 'tool' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(ROUND_TRIP_DONE);
    expect(sawMarker(claude.requests.slice(before), s.marker)).toBe(true);
  }, 120_000);

  it('a model id in no list (family routing) — the upstream answers', async () => {
    const r = await runClaude(cmd, s, { baseUrl: sy.url, model: 'claude-sonnet-5-preview', turn: 'pong' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(claude.requests.at(-1)?.body).toMatchObject({ model: 'claude-sonnet-5-preview' });
  }, 120_000);
});

describeClient('codex', 'Codex CLI (custom provider, wire_api = "responses") → Switchyard → OpenAI Responses', (cmd) => {
  it('text turn on gpt-5.5', async () => {
    const r = await runCodex(cmd, s, { baseUrl: sy.url, model: 'gpt-5.5', turn: 'pong', provider: 'custom' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(responses.requests.at(-1)?.body).toMatchObject({ model: 'gpt-5.5' });
  }, 120_000);

  it('tool round trip (exec_command cat marker.txt)', async () => {
    const before = responses.requests.length;
    const r = await runCodex(cmd, s, { baseUrl: sy.url, model: 'gpt-5.5', turn: 'tool', provider: 'custom' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(ROUND_TRIP_DONE);
    expect(sawMarker(responses.requests.slice(before), s.marker)).toBe(true);
  }, 120_000);

  it('a model id in no list (family routing) — the upstream answers', async () => {
    const r = await runCodex(cmd, s, { baseUrl: sy.url, model: 'gpt-5.9-preview', turn: 'pong', provider: 'custom' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(responses.requests.at(-1)?.body).toMatchObject({ model: 'gpt-5.9-preview' });
  }, 120_000);
});

describeClient('gemini', 'Gemini CLI → Switchyard → Gemini API', (cmd) => {
  it('text turn on gemini-3-flash-preview', async () => {
    const r = await runGemini(cmd, s, { baseUrl: sy.url, model: 'gemini-3-flash-preview', turn: 'pong' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(gemini.requests.at(-1)?.path).toBe('/v1beta/models/gemini-3-flash-preview:streamGenerateContent');
  }, 120_000);

  it('tool round trip (read_file marker.txt)', async () => {
    const before = gemini.requests.length;
    const r = await runGemini(cmd, s, { baseUrl: sy.url, model: 'gemini-3-flash-preview', turn: 'tool' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(ROUND_TRIP_DONE);
    expect(sawMarker(gemini.requests.slice(before), s.marker)).toBe(true);
  }, 120_000);

  it('a model id in no list (family routing) — the upstream answers', async () => {
    const r = await runGemini(cmd, s, { baseUrl: sy.url, model: 'gemini-3.7-pro-exp', turn: 'pong' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(gemini.requests.at(-1)?.path).toBe('/v1beta/models/gemini-3.7-pro-exp:streamGenerateContent');
  }, 120_000);
});
