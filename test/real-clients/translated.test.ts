import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../integration/harness';
import type { FakeUpstream as OpenAIFake } from '../fakes/upstreams/openai-chat-upstream';
import { describeClient, describeRun, ROUND_TRIP_DONE, scratch, type Scratch } from './clients';
import { runClaude, runCodex, runGemini } from './run';
import { GATEWAY_LISTED, gatewayUpstream, sawMarker } from './upstreams';

/**
 * Every CLI translated: Claude Code (Messages), Codex (Responses) and Gemini CLI (Gemini) through
 * Switchyard to one OpenAI-compatible Chat Completions gateway whose entry lists no models. Text
 * turn and tool round trip each, with the CLIs' own default model ids (in no list of the gateway).
 */
let gw: OpenAIFake;
let sy: RunningEngine;
let s: Scratch;

beforeAll(async () => {
  gw = await gatewayUpstream(() => s.markerPath);
  sy = await startEngine(['usage-sqlite: {enable: false}', 'request-retry: 0', 'openai-compatibility:', '  - name: gateway', `    base-url: "${gw.url}/v1"`, '    api-key: sk-up-gateway', ''].join('\n'));
  await sy.engine.models.idle();
});
afterAll(async () => {
  await sy?.close();
  await gw?.close();
});
beforeEach(async () => {
  s = await scratch();
});
afterEach(() => s.cleanup());

it('the gateway entry lists what its upstream lists and still serves any id', async () => {
  const { data } = (await (await fetch(`${sy.url}/v1/models`)).json()) as { data: Array<{ id: string; source: string }> };
  expect(data.map((m) => [m.id, m.source])).toEqual(GATEWAY_LISTED.map((id) => [id, 'discovered']));
});

const lastChat = () => gw.requests.at(-1)?.body as { model?: string; messages?: unknown[] } | undefined;

describeClient('claude', 'Claude Code → Switchyard → OpenAI-compatible gateway', (cmd) => {
  it('text turn', async () => {
    const r = await runClaude(cmd, s, { baseUrl: sy.url, model: 'claude-sonnet-4-6', turn: 'pong' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(lastChat()?.model).toBe('claude-sonnet-4-6');
  }, 120_000);

  it('tool round trip', async () => {
    const before = gw.requests.length;
    const r = await runClaude(cmd, s, { baseUrl: sy.url, model: 'claude-sonnet-4-6', turn: 'tool' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(ROUND_TRIP_DONE);
    expect(sawMarker(gw.requests.slice(before), s.marker)).toBe(true);
  }, 120_000);
});

describeClient('codex', 'Codex CLI (custom provider) → Switchyard → OpenAI-compatible gateway', (cmd) => {
  it('text turn', async () => {
    const r = await runCodex(cmd, s, { baseUrl: sy.url, model: 'gpt-5.5', turn: 'pong', provider: 'custom' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(lastChat()?.model).toBe('gpt-5.5');
  }, 120_000);

  it('tool round trip', async () => {
    const before = gw.requests.length;
    const r = await runCodex(cmd, s, { baseUrl: sy.url, model: 'gpt-5.5', turn: 'tool', provider: 'custom' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(ROUND_TRIP_DONE);
    expect(sawMarker(gw.requests.slice(before), s.marker)).toBe(true);
  }, 120_000);
});

describeClient('gemini', 'Gemini CLI → Switchyard → OpenAI-compatible gateway', (cmd) => {
  it('text turn', async () => {
    const r = await runGemini(cmd, s, { baseUrl: sy.url, model: 'gemini-3-flash-preview', turn: 'pong' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(lastChat()?.model).toBe('gemini-3-flash-preview');
  }, 120_000);

  it('tool round trip', async () => {
    const before = gw.requests.length;
    const r = await runGemini(cmd, s, { baseUrl: sy.url, model: 'gemini-3-flash-preview', turn: 'tool' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(ROUND_TRIP_DONE);
    expect(sawMarker(gw.requests.slice(before), s.marker)).toBe(true);
  }, 120_000);
});
