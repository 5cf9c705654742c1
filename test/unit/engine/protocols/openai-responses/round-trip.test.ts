import { describe, expect, it } from 'vitest';
import type { IrRequest, IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { openaiResponsesProtocol as responses } from '../../../../../src-main/engine/protocols/openai-responses';
import { decodeSseText } from '../openai-chat/golden';

const faithful: Record<string, IrRequest> = {
  'instructions, multi-turn, sampling': {
    model: 'up',
    stream: true,
    system: [{ type: 'text', text: 'You are helpful.' }],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }, { type: 'media', mediaType: 'image/png', data: 'AAAA' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Hello' }] },
      { role: 'user', parts: [{ type: 'text', text: 'More' }, { type: 'media', mediaType: 'application/pdf', data: 'JVBE', filename: 'x.pdf' }] },
    ],
    maxOutputTokens: 500,
    temperature: 1,
    topP: 0.5,
    user: 'u1',
  },
  'reasoning, tools, results': {
    model: 'up',
    stream: false,
    system: [],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'go' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'plan', signature: 'gAAAAABplan' },
          { type: 'tool-call', id: 'call_1', name: 'a', arguments: '{"x":1}' },
          { type: 'tool-call', id: 'call_2', name: 'b', arguments: '{}' },
        ],
      },
      {
        role: 'tool',
        parts: [
          { type: 'tool-result', callId: 'call_1', content: [{ type: 'text', text: 'one' }] },
          { type: 'tool-result', callId: 'call_2', content: [{ type: 'text', text: 'two' }, { type: 'media', mediaType: 'image/png', data: 'BBBB' }] },
        ],
      },
    ],
    tools: [
      { name: 'a', description: 'A', parameters: { type: 'object' }, strict: false },
      { name: 'b', parameters: { type: 'object' }, strict: true },
    ],
    toolChoice: { type: 'tool', name: 'b' },
    parallelToolCalls: false,
    responseFormat: { type: 'json-schema', name: 'o', schema: { type: 'object' }, strict: false },
    reasoning: { enabled: true, effort: 'high', includeThoughts: true },
  },
};

describe('openai-responses request round trip', () => {
  for (const [name, ir] of Object.entries(faithful)) {
    it(`decode ∘ encode keeps: ${name}`, () => {
      const { body, toolNames } = responses.encodeRequest(ir, { upstreamModel: 'up', stream: ir.stream });
      expect(toolNames).toBeUndefined();
      const back = responses.decodeRequest(JSON.parse(JSON.stringify(body)), {});
      // The encoder asks for the encrypted reasoning and a summary; those ride back as extensions.
      const { extensions, ...rest } = back;
      expect(rest).toEqual(ir);
      if (ir.reasoning) expect(extensions?.['openai-responses']).toEqual({ include: ['reasoning.encrypted_content'], reasoningSummary: 'auto' });
    });
  }

  it('encode ∘ decode keeps a Codex CLI body', () => {
    const body = {
      model: 'gpt-5-codex',
      instructions: 'sys',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: 'gAAAAAx' },
        { type: 'function_call', call_id: 'c', name: 'shell', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c', output: 'ok' },
      ],
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k',
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object' }, strict: false }, { type: 'local_shell' }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'medium', summary: 'detailed' },
      text: { verbosity: 'medium' },
    };
    const { body: out } = responses.encodeRequest(responses.decodeRequest(body, {}), { upstreamModel: 'gpt-5-codex', stream: true });
    expect(out).toEqual(body);
  });
});

describe('Codex free-form (custom) tools', () => {
  const body = {
    model: 'gpt-5-codex',
    instructions: 'sys',
    input: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'patch it' }] },
      { type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      { type: 'custom_tool_call_output', call_id: 'call_p', output: 'ok' },
    ],
    stream: true,
    tools: [{ type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } }],
    tool_choice: { type: 'custom', name: 'apply_patch' },
  };

  it('survive a Responses → Responses hop unchanged', () => {
    const { body: out } = responses.encodeRequest(responses.decodeRequest(body, {}), { upstreamModel: 'gpt-5-codex', stream: true });
    expect(out).toEqual(body);
  });

  it('look like a function taking {input} to every other format', () => {
    const ir = responses.decodeRequest(body, {});
    expect(ir.tools?.[0]).toMatchObject({ name: 'apply_patch', parameters: { required: ['input'] } });
    expect(ir.messages[1].parts[0]).toEqual({ type: 'tool-call', id: 'call_p', name: 'apply_patch', arguments: JSON.stringify({ input: '*** Begin Patch\n*** End Patch' }) });
    // Without the Responses extensions (another client format) they are plain function tools.
    const { body: plain } = responses.encodeRequest({ ...ir, extensions: undefined }, { upstreamModel: 'gpt-5', stream: false });
    expect((plain as { tools?: unknown }).tools).toEqual([{ type: 'function', name: 'apply_patch', parameters: ir.tools?.[0].parameters, strict: false }]);
  });
});

describe('openai-responses response and stream round trips', () => {
  it('decodeResponse ∘ encodeResponse keeps the response', () => {
    const res: IrResponse = {
      id: 'resp_1',
      model: 'm',
      created: 1_700_000_000,
      parts: [
        { type: 'reasoning', text: 'r', signature: 'gAAAAAr' },
        { type: 'text', text: 't' },
        { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'completed',
      usage: { inputTokens: 9, outputTokens: 8, cachedInputTokens: 1, reasoningTokens: 2, totalTokens: 17 },
    };
    expect(responses.decodeResponse(JSON.parse(JSON.stringify(responses.encodeResponse(res, { clientModel: 'm' }))))).toEqual(res);
  });

  it('the stream decoder reads back what the stream encoder wrote', () => {
    const parts: IrStreamPart[] = [
      { type: 'start', id: 'resp_abc', model: 'm', created: 1_700_000_000 },
      { type: 'reasoning-delta', text: 'think' },
      { type: 'reasoning-signature', signature: 'gAAAAAsig' },
      { type: 'text-delta', text: 'Grüße ' },
      { type: 'text-delta', text: '✓' },
      { type: 'tool-call-start', index: 0, id: 'call_a', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ':1}' },
      { type: 'finish', reason: 'tool-calls', usage: { inputTokens: 3, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 7 } },
    ];
    const enc = responses.createStreamEncoder({ clientModel: 'm' });
    const text = parts.map((p) => enc.push(p)).join('') + enc.end();
    const back = decodeSseText(text, responses.createStreamDecoder(), 5);
    expect(back).toEqual([...parts.slice(0, -1), { ...parts[parts.length - 1], rawReason: 'completed' }]);
  });

  it('a length stop survives as response.incomplete', () => {
    const enc = responses.createStreamEncoder({ clientModel: 'm' });
    const text =
      enc.push({ type: 'start', id: 'resp_z', model: 'm', created: 1 }) +
      enc.push({ type: 'text-delta', text: 'x' }) +
      enc.push({ type: 'finish', reason: 'length' }) +
      enc.end();
    const back = decodeSseText(text, responses.createStreamDecoder());
    expect(back.at(-1)).toMatchObject({ type: 'finish', reason: 'length', rawReason: 'max_output_tokens' });
  });
});
