import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEngine, type RunningEngine } from '../integration/harness';
import type { FakeUpstream as OpenAIFake } from '../fakes/upstreams/openai-chat-upstream';
import { describeClient, describeRun, ROUND_TRIP_DONE, scratch, type Scratch } from './clients';
import { runCodex } from './run';
import { responsesUpstream, sawMarker } from './upstreams';

/**
 * Codex's built-in provider pointed at Switchyard (`openai_base_url`, what Codex's own docs show):
 * it opens `GET /v1/responses` as a WebSocket first. NEEDS the Responses-over-WebSocket route
 * (built on its own branch): until that is merged these tests FAIL on purpose — Codex would
 * otherwise fall back to HTTP after ~6.5 s and hide the missing route. Never skipped.
 */
const FALLBACK = /Falling back from WebSockets to HTTPS transport/i;
let up: OpenAIFake;
let sy: RunningEngine;
let s: Scratch;

beforeAll(async () => {
  up = await responsesUpstream();
  sy = await startEngine(['usage-sqlite: {enable: false}', 'request-retry: 0', 'codex-api-key:', `  - {api-key: sk-up-openai, base-url: "${up.url}/v1"}`, ''].join('\n'));
  await sy.engine.models.idle();
});
afterAll(async () => {
  await sy?.close();
  await up?.close();
});
beforeEach(async () => {
  s = await scratch();
});
afterEach(() => s.cleanup());

/** Does Switchyard accept a Responses WebSocket the way Codex opens it? */
function upgrade(url: string): Promise<{ ok: true } | { ok: false; why: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/responses`, {
      headers: { authorization: 'Bearer sk-client-codex', 'openai-beta': 'responses_websockets=2026-02-06' },
    });
    ws.once('open', () => {
      ws.close();
      resolve({ ok: true });
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ok: false, why: `HTTP ${res.statusCode} on the upgrade` });
      res.resume();
    });
    ws.once('error', (err) => resolve({ ok: false, why: err.message }));
  });
}

it('[needs the Responses WebSocket route] GET /v1/responses accepts a WebSocket upgrade', async () => {
  const r = await upgrade(sy.url);
  expect(r, 'Switchyard has no Responses-over-WebSocket route yet (GET /v1/responses); Codex\'s built-in provider needs it').toEqual({ ok: true });
});

describeClient('codex', 'Codex CLI (built-in provider, openai_base_url) → Switchyard WebSocket → OpenAI Responses', (cmd) => {
  it('[needs the Responses WebSocket route] text turn over the WebSocket, no fallback to HTTP', async () => {
    const r = await runCodex(cmd, s, { baseUrl: sy.url, model: 'gpt-5.5', turn: 'pong', provider: 'builtin' });
    expect(r.stderr, `Codex fell back to HTTP: the WebSocket route is missing or refused\n${describeRun(r)}`).not.toMatch(FALLBACK);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain('PONG');
    expect(up.requests.at(-1)?.body).toMatchObject({ model: 'gpt-5.5' });
  }, 120_000);

  it('[needs the Responses WebSocket route] tool round trip (previous_response_id chain rebuilt for the upstream)', async () => {
    const before = up.requests.length;
    const r = await runCodex(cmd, s, { baseUrl: sy.url, model: 'gpt-5.5', turn: 'tool', provider: 'builtin' });
    expect(r.stderr, `Codex fell back to HTTP: the WebSocket route is missing or refused\n${describeRun(r)}`).not.toMatch(FALLBACK);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(ROUND_TRIP_DONE);
    const calls = up.requests.slice(before);
    expect(sawMarker(calls, s.marker)).toBe(true);
    // The upstream got the whole conversation back, not just the new tool output.
    const last = JSON.stringify(calls.at(-1)?.body ?? null);
    expect(last).toContain('TOOLTEST');
    expect(last).toContain('function_call_output');
  }, 120_000);
});
