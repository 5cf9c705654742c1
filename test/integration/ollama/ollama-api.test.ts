import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ollama, type ChatResponse, type Message } from 'ollama';
import { startWorld, MODEL_OF, UPSTREAM_MODEL, type World } from '../../contract/world';
import { claudeScript, geminiScript, openaiScript } from '../../contract/fake-scripts';
import type { NeutralReply } from '../../contract/scenarios';

/**
 * The Ollama API on Switchyard's port, driven by the official `ollama` npm client, reaching
 * OpenAI-compatible, Claude and Gemini upstreams. Expected shapes are Ollama's (docs/api.md):
 * NDJSON objects with `done: false` then one closing `done: true` object carrying
 * `done_reason`, `prompt_eval_count`, `eval_count` and nanosecond durations; tool calls with
 * `function.arguments` as an object; errors as `{"error": "..."}`.
 */

type Kind = 'openai-chat' | 'claude' | 'gemini';
const KINDS: Kind[] = ['openai-chat', 'claude', 'gemini'];

let world: World;
let client: Ollama;
let serial = 0;

/** Answer every request tagged `id` with `reply`, whichever upstream gets it. */
function script(reply: NeutralReply): string {
  const id = `ollama-${++serial}`;
  world.custom.set(id, {
    chat: () => openaiScript('openai-chat', reply),
    claude: () => claudeScript(reply),
    gemini: () => geminiScript(reply),
  });
  return `[[${id}#1-1]]`;
}

beforeAll(async () => {
  world = await startWorld();
  client = new Ollama({ host: world.url });
});
afterAll(async () => {
  await world?.close();
});

function expectClosing(last: { done: boolean; done_reason: string; prompt_eval_count: number; eval_count: number; total_duration: number; eval_duration: number; load_duration: number }, counts: { input: number; output: number }, reason = 'stop') {
  expect(last.done).toBe(true);
  expect(last.done_reason).toBe(reason);
  expect(last.prompt_eval_count).toBe(counts.input);
  expect(last.eval_count).toBe(counts.output);
  expect(Number.isInteger(last.total_duration) && last.total_duration > 0).toBe(true);
  expect(Number.isInteger(last.eval_duration) && last.eval_duration >= 0).toBe(true);
  expect(last.load_duration).toBe(0);
}

describe.each(KINDS)('ollama client → %s upstream', (kind) => {
  const model = MODEL_OF[kind];

  it('chat without streaming answers one message object', async () => {
    const tag = script({ text: ['Hello ', 'from ', kind], finish: 'stop', usage: { input: 11, output: 4 } });
    const res = await client.chat({ model, messages: [{ role: 'user', content: `hi ${tag}` }] });
    expect(res.model).toBe(model);
    expect(res.message).toEqual({ role: 'assistant', content: `Hello from ${kind}` });
    expect(Number.isNaN(Date.parse(String(res.created_at)))).toBe(false);
    expectClosing(res, { input: 11, output: 4 });
  });

  it('chat streams NDJSON objects and closes with the counts', async () => {
    const tag = script({ text: ['one ', 'two ', 'three'], finish: 'stop', usage: { input: 9, output: 3 } });
    const parts: ChatResponse[] = [];
    for await (const p of await client.chat({ model, stream: true, messages: [{ role: 'user', content: `count ${tag}` }] })) parts.push(p);
    const last = parts[parts.length - 1];
    expect(parts.slice(0, -1).every((p) => p.done === false && p.message.role === 'assistant')).toBe(true);
    expect(parts.map((p) => p.message.content).join('')).toBe('one two three');
    expect(last.message.content).toBe('');
    expectClosing(last, { input: 9, output: 3 });
  });

  it('generate answers `response`, streamed and not', async () => {
    const tagA = script({ text: ['Why ', 'the sky is blue'], finish: 'stop', usage: { input: 5, output: 6 } });
    const whole = await client.generate({ model, prompt: `why ${tagA}`, system: 'Be brief.' });
    expect(whole.response).toBe('Why the sky is blue');
    expectClosing(whole, { input: 5, output: 6 });

    const tagB = script({ text: ['a', 'b', 'c'], finish: 'length', usage: { input: 2, output: 3 } });
    let text = '';
    let last: Awaited<ReturnType<typeof client.generate>> | undefined;
    for await (const p of await client.generate({ model, prompt: `abc ${tagB}`, stream: true, options: { num_predict: 3 } })) {
      text += p.response;
      last = p;
    }
    expect(text).toBe('abc');
    expectClosing(last!, { input: 2, output: 3 }, 'length');
  });

  it('tool round trip: arguments arrive as an object, the result goes back paired with its call', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    const tag1 = script({ toolCalls: [{ id: 'toolu_w1', name: 'get_weather', argChunks: ['{"city":', '"Paris"}'] }], finish: 'tool_calls', usage: { input: 20, output: 8 } });
    const question: Message = { role: 'user', content: `weather in Paris? ${tag1}` };
    const first = await client.chat({ model, messages: [question], tools });
    expect(first.message.tool_calls).toHaveLength(1);
    expect(first.message.tool_calls![0].function).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' } });
    expect(first.done_reason).toBe('stop');

    const tag2 = script({ text: ['It is sunny.'], finish: 'stop', usage: { input: 30, output: 4 } });
    const history: Message[] = [
      { role: 'user', content: `weather in Paris? ${tag2}` },
      first.message,
      { role: 'tool', content: '{"sky":"sunny","c":21}', tool_name: 'get_weather' },
    ];
    const parts: ChatResponse[] = [];
    for await (const p of await client.chat({ model, messages: history, tools, stream: true })) parts.push(p);
    expect(parts.map((p) => p.message.content).join('')).toBe('It is sunny.');

    const seen = world.seen(kind, tag2.slice(2, -2))[0].body as Record<string, unknown>;
    expectPairedToolResult(kind, seen);
  });

  it('a streamed tool call comes as one whole call before the closing object', async () => {
    const tag = script({ toolCalls: [{ id: 'toolu_s1', name: 'get_weather', argChunks: ['{"ci', 'ty":"Oslo"}'] }], finish: 'tool_calls', usage: { input: 4, output: 2 } });
    const parts: ChatResponse[] = [];
    for await (const p of await client.chat({ model, stream: true, messages: [{ role: 'user', content: `oslo ${tag}` }], tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }] })) parts.push(p);
    const withCalls = parts.filter((p) => p.message.tool_calls?.length);
    expect(withCalls).toHaveLength(1);
    expect(withCalls[0].done).toBe(false);
    expect(withCalls[0].message.tool_calls).toEqual([expect.objectContaining({ function: expect.objectContaining({ name: 'get_weather', arguments: { city: 'Oslo' } }) })]);
    expectClosing(parts[parts.length - 1], { input: 4, output: 2 });
  });
});

/** The upstream saw the tool's result answering the call the model made, in its own format. */
function expectPairedToolResult(kind: Kind, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  expect(text).toContain('sunny');
  if (kind === 'openai-chat') {
    const msgs = body.messages as Array<{ role: string; tool_calls?: Array<{ id: string }>; tool_call_id?: string }>;
    const call = msgs.find((m) => m.role === 'assistant')!.tool_calls![0];
    expect(msgs.find((m) => m.role === 'tool')!.tool_call_id).toBe(call.id);
  } else if (kind === 'claude') {
    const blocks = (body.messages as Array<{ content: Array<{ type: string; id?: string; tool_use_id?: string }> }>).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    const use = blocks.find((b) => b.type === 'tool_use')!;
    expect(blocks.find((b) => b.type === 'tool_result')!.tool_use_id).toBe(use.id);
  } else {
    const parts = (body.contents as Array<{ parts: Array<Record<string, { name?: string }>> }>).flatMap((c) => c.parts);
    expect(parts.find((p) => p.functionCall)!.functionCall.name).toBe('get_weather');
    expect(parts.find((p) => p.functionResponse)!.functionResponse.name).toBe('get_weather');
  }
}

describe('ollama model endpoints', () => {
  it('/api/tags lists the served models', async () => {
    const { models } = await client.list();
    const names = models.map((m) => m.name);
    for (const k of KINDS) expect(names).toContain(MODEL_OF[k]);
    const m = models.find((x) => x.name === MODEL_OF.claude)!;
    expect(m.model).toBe(MODEL_OF.claude);
    expect(m.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(m.details).toMatchObject({ family: expect.any(String) });
    expect(Number.isNaN(Date.parse(String(m.modified_at)))).toBe(false);
  });

  it('/api/show describes a served model and 404s an unknown one in Ollama words', async () => {
    const shown = await client.show({ model: MODEL_OF.gemini });
    expect(shown.capabilities).toEqual(expect.arrayContaining(['completion', 'tools']));
    expect(typeof shown.modelfile).toBe('string');
    await expect(client.show({ model: 'no-such-model' })).rejects.toMatchObject({ name: 'ResponseError', status_code: 404, error: "model 'no-such-model' not found" });
  });

  it('/api/version answers a version string', async () => {
    expect((await client.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('ollama wire details (raw HTTP)', () => {
  it('streams by default when `stream` is absent, as application/x-ndjson', async () => {
    const tag = script({ text: ['x', 'y'], finish: 'stop', usage: { input: 1, output: 2 } });
    const res = await fetch(`${world.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: MODEL_OF['openai-chat'], messages: [{ role: 'user', content: `xy ${tag}` }] }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { done: boolean; message: { content: string } });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.message.content).join('')).toBe('xy');
    expect(lines[lines.length - 1].done).toBe(true);
  });

  it('options and images reach the upstream in its own words', async () => {
    const tag = script({ text: ['ok'], finish: 'stop', usage: { input: 1, output: 1 } });
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    await client.chat({
      model: MODEL_OF.claude,
      messages: [{ role: 'system', content: 'terse' }, { role: 'user', content: `look ${tag}`, images: [png] }],
      options: { temperature: 0.2, num_predict: 77, stop: ['END'] },
    });
    const body = world.seen('claude', tag.slice(2, -2))[0].body as Record<string, unknown>;
    expect(body.model).toBe(UPSTREAM_MODEL.claude);
    expect(body.max_tokens).toBe(77);
    expect(body.temperature).toBe(0.2);
    expect(body.stop_sequences).toEqual(['END']);
    expect(JSON.stringify(body.system)).toContain('terse');
    const blocks = (body.messages as Array<{ content: Array<{ type: string; source?: { media_type: string; data: string } }> }>)[0].content;
    expect(blocks.find((b) => b.type === 'image')!.source).toMatchObject({ media_type: 'image/png', data: png });
  });

  it('an unknown model is a 404 `{"error": ...}`; a bad body a 400', async () => {
    const res = await fetch(`${world.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'nope', messages: [] }) });
    expect(res.status).toBe(404);
    expect(Object.keys((await res.json()) as object)).toEqual(['error']);
    const bad = await fetch(`${world.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: MODEL_OF.claude, prompt: 42 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/prompt/);
    const lost = await fetch(`${world.url}/api/nothing`);
    expect(lost.status).toBe(404);
    expect(Object.keys((await lost.json()) as object)).toEqual(['error']);
  });

  it('an upstream failure after the first bytes is one `{"error"}` line the client throws on', async () => {
    const tag = script({ text: ['partial'], finish: 'stop', usage: { input: 1, output: 1 }, midStreamError: 'upstream fell over' });
    const seen: string[] = [];
    const run = async () => {
      for await (const p of await client.chat({ model: MODEL_OF.claude, stream: true, messages: [{ role: 'user', content: `fail ${tag}` }] })) seen.push(p.message.content);
    };
    await expect(run()).rejects.toThrow(/upstream fell over/);
    expect(seen.join('')).toBe('partial');
  });
});
