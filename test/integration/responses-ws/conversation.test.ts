import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, MODEL, startWsWorld, type UpstreamKind, type WsWorld } from './world';
import { codexHeaders, itemsOf, ResponsesSocket, textOf, type ServerEvent } from './socket-client';

/**
 * What Codex CLI does over its WebSocket (../shared/reference/real-clients.md, "Responses over
 * WebSocket"): a `generate:false` warm-up with the developer message and the tools, the turn
 * with the full input and no previous_response_id, then the tool result as the only new item
 * with `previous_response_id` and `store:false`. Every upstream kind must serve it, and since
 * no upstream keeps the chain, the request Switchyard sends for the last step must carry the
 * whole conversation.
 */

const MARKER = 'marker-7f3a';
const developer = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex, a coding agent. Be brief.' }] };
const user = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is in marker.txt?' }] };
const tools = [
  {
    type: 'function',
    name: 'exec_command',
    description: 'Runs a command in a PTY.',
    strict: false,
    parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'], additionalProperties: false },
  },
];
const ARGS = '{"cmd":"cat marker.txt"}';

/** Body fields Codex sends on every response.create (no `instructions`, store:false). */
function codexBody(model: string): Record<string, unknown> {
  return {
    type: 'response.create',
    model,
    tools,
    tool_choice: 'auto',
    parallel_tool_calls: true,
    store: false,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: '0199a1b2-0000-7000-8000-000000000001',
  };
}

let w: WsWorld;

beforeAll(async () => {
  w = await startWsWorld({
    openai: (raw) =>
      raw.includes(MARKER)
        ? { id: 'resp_up_text', text: ['The file says ', MARKER, '.'], usage: { input: 40, output: 6 } }
        : { id: 'resp_up_call', toolCalls: [{ id: 'call_exec_1', name: 'exec_command', argumentChunks: ['{"cmd":', '"cat marker.txt"}'] }], usage: { input: 30, output: 9 } },
    steps: (raw) =>
      raw.includes(MARKER)
        ? { steps: [{ type: 'text', text: `The file says ${MARKER}.`, chunks: 3 }], usage: { input: 40, output: 6 } }
        : { steps: [{ type: 'tool', name: 'exec_command', id: 'call_exec_1', args: ARGS, chunks: 2 }], usage: { input: 30, output: 9 } },
  });
});

afterAll(async () => {
  await w?.close();
});

/** The last upstream request's conversation, as (who, what) pairs in the upstream's own wire format. */
function upstreamConversation(kind: UpstreamKind, body: Record<string, unknown>): string {
  return JSON.stringify(kind === 'claude' ? [body.system, body.messages] : kind === 'gemini' ? [body.systemInstruction, body.contents] : kind === 'codex' ? body.input : body.messages);
}

describe.each<UpstreamKind>(['codex', 'claude', 'gemini', 'openai-compatible'])('Codex over WebSocket, %s upstream', (kind) => {
  it('warm-up, turn with a tool call, tool result by previous_response_id: the upstream sees the whole conversation', async () => {
    const model = MODEL[kind];
    const calls = w.calls[kind];
    const before = calls.length;
    const recordsBefore = w.records.length;
    const socket = await ResponsesSocket.open(w.wsUrl, codexHeaders(CLIENT_KEY));

    // 1. Warm-up: answered at once with an empty response, no upstream call.
    socket.send({ ...codexBody(model), input: [developer], generate: false });
    const warm = await socket.nextResponse();
    expect(warm.map((e) => e.type)).toEqual(['response.created', 'response.completed']);
    const warmResponse = warm[1].response as Record<string, unknown>;
    expect(warmResponse).toMatchObject({ object: 'response', status: 'completed', output: [] });
    expect((warm[0].response as Record<string, unknown>).id).toBe(warmResponse.id);
    expect(calls.length).toBe(before);

    // 2. The turn: full input, no previous_response_id; the model calls a tool.
    socket.send({ ...codexBody(model), input: [developer, user] });
    const turn = await socket.nextResponse();
    expectResponseLifecycle(turn);
    const call = itemsOf(turn).find((i) => i.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'exec_command' });
    expect(JSON.parse(String(call!.arguments))).toEqual({ cmd: 'cat marker.txt' });
    const callId = String(call!.call_id);
    expect(callId).toBeTruthy();
    const turnId = String((turn.at(-1)!.response as Record<string, unknown>).id);
    expect(calls.length).toBe(before + 1);

    // 3. The tool result alone, chained by previous_response_id (store:false).
    socket.send({ ...codexBody(model), previous_response_id: turnId, input: [{ type: 'function_call_output', call_id: callId, output: `Process exited with code 0\nOutput:\n${MARKER}\n` }] });
    const answer = await socket.nextResponse();
    expectResponseLifecycle(answer);
    expect(textOf(answer)).toBe(`The file says ${MARKER}.`);
    expect(calls.length).toBe(before + 2);

    // The rebuilt upstream request: developer text, the user's question, the model's call, the result.
    const last = calls.at(-1)!;
    expect(last.body.previous_response_id).toBeUndefined();
    const convo = upstreamConversation(kind, last.body);
    const order = ['You are Codex, a coding agent.', 'What is in marker.txt?', 'exec_command', MARKER].map((s) => convo.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expectToolRoundTrip(kind, last.body, callId);

    // Usage: one record per generated turn (the warm-up is not a request upstream), with the client key's label.
    const turns = w.records.slice(recordsBefore);
    expect(turns).toHaveLength(2);
    for (const r of turns) expect(r).toMatchObject({ inboundFormat: 'openai-responses', stream: true, status: 200, requestedModel: model });
    expect(turns.map((r) => r.usage?.inputTokens)).toEqual([30, 40]);
    expect(turns.map((r) => r.usage?.outputTokens)).toEqual([9, 6]);
    expect(turns[0].clientKeyLabel).toContain(CLIENT_KEY.slice(-4));

    // One JSON event per text message, nothing binary.
    expect(socket.frames.every((f) => !f.binary && typeof (JSON.parse(f.text) as ServerEvent).type === 'string')).toBe(true);
    await socket.close();
  });
});

/** The event order a Responses stream has (PROTOCOLS.md §3.11; the sequence Codex accepts). */
function expectResponseLifecycle(events: ServerEvent[]): void {
  const types = events.map((e) => e.type);
  expect(types[0]).toBe('response.created');
  expect(types.at(-1)).toBe('response.completed');
  expect(types).toContain('response.output_item.added');
  expect(types).toContain('response.output_item.done');
  const done = events.at(-1)!.response as { id: string; usage: Record<string, number> };
  expect(done.id).toBe((events[0].response as { id: string }).id);
  expect(done.usage.input_tokens).toBeGreaterThan(0);
}

/** The tool call and its result, in each upstream's own wire terms, tied by the same id where the format has ids. */
function expectToolRoundTrip(kind: UpstreamKind, body: Record<string, unknown>, callId: string): void {
  if (kind === 'codex') {
    const input = body.input as Array<Record<string, unknown>>;
    expect(input.map((i) => i.type ?? 'message')).toEqual(['message', 'message', 'function_call', 'function_call_output']);
    expect(input[0]).toMatchObject({ role: 'developer' });
    expect(input[2]).toMatchObject({ type: 'function_call', call_id: callId, name: 'exec_command', arguments: ARGS });
    expect(input[3]).toMatchObject({ type: 'function_call_output', call_id: callId });
    expect(body).toMatchObject({ stream: true, store: false });
  } else if (kind === 'claude') {
    const messages = body.messages as Array<{ role: string; content: Array<Record<string, unknown>> | string }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1].content).toEqual([expect.objectContaining({ type: 'tool_use', id: callId, name: 'exec_command', input: { cmd: 'cat marker.txt' } })]);
    expect(messages[2].content).toEqual([expect.objectContaining({ type: 'tool_result', tool_use_id: callId })]);
  } else if (kind === 'gemini') {
    const contents = body.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    expect(contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(contents[1].parts).toEqual([expect.objectContaining({ functionCall: expect.objectContaining({ name: 'exec_command', args: { cmd: 'cat marker.txt' } }) })]);
    expect(contents[2].parts).toEqual([expect.objectContaining({ functionResponse: expect.objectContaining({ name: 'exec_command' }) })]);
  } else {
    const messages = body.messages as Array<Record<string, unknown>>;
    expect(messages.map((m) => m.role)).toEqual([expect.stringMatching(/^(system|developer)$/), 'user', 'assistant', 'tool']);
    expect(messages[2].tool_calls).toEqual([expect.objectContaining({ id: callId, type: 'function', function: { name: 'exec_command', arguments: ARGS } })]);
    expect(messages[3]).toMatchObject({ tool_call_id: callId });
  }
}
