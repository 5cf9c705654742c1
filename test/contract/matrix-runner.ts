import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientAdapter, ClientError, ClientOutcome, ClientResult } from './clients/types';
import { UPSTREAM_KINDS, type UpstreamKind } from './fake-scripts';
import { newTag, PNG_1PX, SCENARIOS, tagged, type ContractScenario } from './scenarios';
import { viewOf, type UpstreamView } from './upstream-view';
import { MODEL_OF, startWorld, UPSTREAM_MODEL, type World } from './world';
import { KNOWN_BUGS } from './known-bugs';

/**
 * The inbound × upstream × scenario × (stream, non-stream) matrix for one client SDK. Each case
 * runs the real engine over real HTTP and asserts both directions: what the fake upstream
 * received (in its own wire format, read back neutrally) and what the SDK handed the caller.
 */

const upstreamHasIds = (k: UpstreamKind) => k !== 'gemini';

function expectErrorFormat(client: ClientAdapter, e: ClientError, status: number): void {
  if (client.format === 'claude') {
    const body = e.body as { type?: string; error?: { type?: string; message?: string } };
    expect(body.type).toBe('error');
    expect(body.error?.type).toBe(status === 429 ? 'rate_limit_error' : status === 400 ? 'invalid_request_error' : 'api_error');
    expect(typeof body.error?.message).toBe('string');
  } else if (client.format === 'gemini') {
    // @google/genai puts the response body text into the message.
    const json = JSON.parse(e.message.slice(e.message.indexOf('{'))) as { error?: { code?: number; status?: string; message?: string } };
    expect(json.error?.code).toBe(status);
    expect(json.error?.status).toBe(status === 429 ? 'RESOURCE_EXHAUSTED' : status === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL');
  } else {
    // openai: APIError.error is the body's `error` object.
    const body = e.body as { message?: string; type?: string };
    expect(typeof body.message).toBe('string');
    expect(typeof body.type).toBe('string');
  }
}

function assertSampling(req: ContractScenario['request'], client: ClientAdapter, kind: UpstreamKind, v: UpstreamView): void {
  const s = req.sampling;
  if (!s) {
    expect(v.stop).toEqual([]);
    return;
  }
  expect(v.temperature).toBe(s.temperature);
  // Current Claude models refuse temperature with top_p: temperature wins unless the bytes are the client's own.
  if (kind === 'claude' && client.format !== 'claude') expect(v.topP).toBeUndefined();
  else expect(v.topP).toBe(s.topP);
  // The Responses API has no stop sequences, so neither its clients nor a Responses upstream carry them.
  expect(v.stop).toEqual(client.format === 'openai-responses' || kind === 'openai-responses' ? [] : s.stop);
}

function assertJsonSchema(req: ContractScenario['request'], client: ClientAdapter, kind: UpstreamKind, v: UpstreamView): void {
  if (!req.jsonSchema || client.format === 'claude') {
    expect(v.jsonSchema).toBeUndefined();
    return;
  }
  if (kind === 'claude') expect(v.jsonSchema).toBeDefined();
  // Gemini's schema dialect is cleaned (§3.15): what it understands stays.
  else if (kind === 'gemini') expect(v.jsonSchema).toMatchObject({ type: 'object', properties: { answer_text: { type: 'string' } }, required: ['answer_text'] });
  else expect(v.jsonSchema).toEqual(req.jsonSchema.schema);
}

function assertUpstream(sc: ContractScenario, client: ClientAdapter, kind: UpstreamKind, v: UpstreamView): void {
  const req = sc.request;
  const userTexts = req.turns.flatMap((t) => (t.role === 'user' ? [t.text] : []));
  for (const t of userTexts) expect(v.texts.join('\n')).toContain(t);
  if (req.system) expect(v.system).toContain(req.system);
  // Claude has no JSON-schema switch here: the engine turns it into an instruction (assertJsonSchema).
  else if (!(req.jsonSchema && kind === 'claude' && client.format !== 'claude')) expect(v.system).toBe('');
  const roles = req.turns.map((t) => t.role).filter((r, i, all) => i === 0 || all[i - 1] !== r);
  expect(v.roles).toEqual(roles);
  expect(v.toolNames).toEqual((req.tools ?? []).map((t) => t.name));
  if (req.toolChoice) expect(v.toolChoice).toBe('required');
  else expect([undefined, 'auto']).toContain(v.toolChoice);
  expect(v.images).toEqual(req.turns.flatMap((t) => (t.role === 'user' && t.image ? [t.image.base64] : [])));
  if (req.reasoning) {
    expect(v.reasoningOn, 'reasoning switched on upstream').toBe(true);
    expect(v.reasoningTextOn, 'upstream asked to return reasoning text').toBe(true);
  } else expect(v.reasoningOn).toBe(false);
  if (sc.id === 'max-tokens') expect(v.maxTokens).toBe(req.maxTokens);
  assertSampling(req, client, kind, v);
  assertJsonSchema(req, client, kind, v);

  const history = req.turns.flatMap((t) => (t.role === 'assistant' ? (t.toolCalls ?? []) : []));
  const results = req.turns.flatMap((t) => (t.role === 'tool' ? t.results : []));
  expect(v.historyCalls.map((c) => ({ name: c.name, args: c.args }))).toEqual(history.map((c) => ({ name: c.name, args: c.args })));
  expect(v.toolResults.map((r) => r.content).join('|')).toContain(results.map((r) => r.content).join('|'));
  if (results.length && upstreamHasIds(kind)) {
    // Ids kept when the client had them; synthesised but paired when it did not (Gemini clients).
    if (client.format !== 'gemini') {
      expect(v.historyCalls.map((c) => c.id)).toEqual(history.map((c) => c.id));
      expect(v.toolResults.map((r) => r.id)).toEqual(results.map((r) => r.id));
    } else {
      expect(v.historyCalls[0].id).toBeTruthy();
      expect(v.toolResults.map((r) => r.id)).toEqual(v.historyCalls.map((c) => c.id));
    }
  }
  if (results.length && kind === 'gemini') expect(v.toolResults.map((r) => r.name)).toEqual(results.map((r) => r.name));
}

function assertClient(sc: ContractScenario, client: ClientAdapter, kind: UpstreamKind, r: ClientResult, stream: boolean): void {
  const reply = sc.reply;
  expect(r.text).toBe((reply.text ?? []).join(''));
  if (reply.reasoning) expect(r.reasoning).toBe(reply.reasoning.join(''));
  const calls = reply.toolCalls ?? [];
  expect(r.toolCalls.map((c) => ({ name: c.name, args: c.args }))).toEqual(calls.map((c) => ({ name: c.name, args: JSON.parse(c.argChunks.join('')) as unknown })));
  if (calls.length && client.format !== 'gemini') {
    if (upstreamHasIds(kind) && calls.every((c) => c.id)) expect(r.toolCalls.map((c) => c.id)).toEqual(calls.map((c) => c.id));
    else {
      for (const c of r.toolCalls) expect(c.id).toMatch(/\S/);
      expect(new Set(r.toolCalls.map((c) => c.id)).size).toBe(calls.length);
    }
  }
  // Anthropic refuses tool_use ids outside its charset when the client sends them back.
  if (client.format === 'claude') for (const c of r.toolCalls) expect(c.id).toMatch(/^[A-Za-z0-9_-]+$/);
  // Translated streams synthesise ids when the upstream has none (passthrough forwards the bytes as they are).
  if (stream && client.format !== kind) expect(r.events.filter((e) => e.startsWith('tool-id-missing'))).toEqual([]);
  if (stream) {
    expect(r.events.filter((e) => e.startsWith('tool-id-changed') || e.startsWith('sequence-out-of-order'))).toEqual([]);
    // Gemini may send a whole function call with its finish in one chunk; the others stream a lifecycle.
    if (client.format !== 'gemini') expect(r.events.length).toBeGreaterThan(1);
    // Each stream opens and closes with its own lifecycle events.
    if (client.format === 'claude') {
      expect(r.events[0]).toBe('message_start');
      expect(r.events.at(-1)).toBe('message_stop');
      expect(r.events.filter((e) => e === 'message_delta')).toHaveLength(1);
    }
    if (client.format === 'openai-responses') {
      expect(r.events.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
      expect(r.events.at(-1)).toBe(reply.finish === 'length' ? 'response.incomplete' : 'response.completed');
    }
  }
  if (reply.reasoning && client.format === 'claude' && kind === 'claude') expect(r.signatures).toEqual(['sig-claude-reasoning-1']);
  expect(r.finish).toBe(reply.finish);
  expect(r.usage).toEqual(reply.usage);
}

async function runCase(w: World, client: ClientAdapter, kind: UpstreamKind, sc: ContractScenario, stream: boolean): Promise<void> {
  const tag = newTag(sc.id);
  const out: ClientOutcome = await client.call(w.url, MODEL_OF[kind], tagged(sc.request, tag), stream);
  const seen = w.seen(kind, tag);
  expect(seen, 'exactly one upstream request (request-retry 0)').toHaveLength(1);
  const up = seen[0];
  if (kind === 'gemini') expect(up.path).toContain(`/models/${UPSTREAM_MODEL.gemini}:`);
  else expect(up.body.model).toBe(UPSTREAM_MODEL[kind]);
  const v = viewOf(kind, up);
  assertUpstream(sc, client, kind, v);

  if (sc.reply.errorStatus) {
    expect(out.ok, 'upstream error reaches the client as an error').toBe(false);
    const e = out as ClientError;
    expect(e.status, e.message).toBe(sc.reply.errorStatus);
    expect(e.inStream).toBe(false);
    expectErrorFormat(client, e, sc.reply.errorStatus);
    return;
  }
  if (sc.reply.midStreamError && !sc.reply.text?.length) {
    if (stream || v.stream) {
      // Nothing was output yet: the engine read ahead, so the caller gets a real HTTP error status.
      expect(out.ok, 'a stream failing before any output is an error').toBe(false);
      const e = out as ClientError;
      expect(e.inStream, `${e.status} ${e.message}`).toBe(false);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.message).toContain(sc.reply.midStreamError);
    } else expect(out.ok).toBe(true);
    return;
  }
  if (sc.reply.midStreamError) {
    if (stream || v.stream) {
      expect(out.ok, 'a failed upstream stream is an error for the client').toBe(false);
      const e = out as ClientError;
      if (stream) {
        // The 200 stream had begun: the text so far arrived, then the caller's error event.
        expect(e.inStream, e.message).toBe(true);
        expect(e.partialText).toBe((sc.reply.text ?? []).join(''));
      } else expect(e.status).toBeGreaterThanOrEqual(500);
      expect(e.message).toContain(sc.reply.midStreamError);
    } else {
      // The upstream answered in one piece: there was no stream to break.
      expect(out.ok).toBe(true);
    }
    return;
  }
  expect(out.ok, out.ok ? '' : `${(out as ClientError).status} ${(out as ClientError).message}`).toBe(true);
  assertClient(sc, client, kind, out as ClientResult, stream);
}

/** Declare the whole matrix for one client: one engine + four fakes for the file. */
export function defineMatrix(client: ClientAdapter): void {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  for (const kind of UPSTREAM_KINDS) {
    describe(`${client.format} client → ${kind} upstream`, () => {
      for (const sc of SCENARIOS) {
        for (const stream of [false, true]) {
          const name = `${sc.title} (${stream ? 'stream' : 'non-stream'})`;
          // SY_SHOW_BUGS=1 runs the known-bug cases too (they fail until the engine is fixed).
          const bug = process.env.SY_SHOW_BUGS ? undefined : KNOWN_BUGS[`${client.format}|${kind}|${sc.id}|${stream ? 'stream' : 'non-stream'}`];
          (bug ? it.skip : it)(bug ? `${name} — ${bug}` : name, () => runCase(w, client, kind, sc, stream));
        }
      }
    });
  }
}

export { PNG_1PX };
