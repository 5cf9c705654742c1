import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../../../../src-main/engine/ir';
import {
  claudeMessagesProtocol as claude,
  decodeCountTokensRequest,
  decodeCountTokensResponse,
  encodeCountTokensRequest,
  encodeCountTokensResponse,
  hasForeignThinking,
  sanitizeClaudeToolId,
} from '../../../../../src-main/engine/protocols/claude-messages';
import { InvalidRequestError } from '../../../../../src-main/engine/protocols/protocol';
import { upstreamError } from '../upstream-error';

const base = (over: Partial<IrRequest> = {}): IrRequest => ({
  model: 'm',
  stream: false,
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  ...over,
});
const encode = (req: IrRequest, model = 'claude-sonnet-4-5') => claude.encodeRequest(req, { upstreamModel: model, stream: false }).body as Record<string, unknown>;

describe('Claude request decoding', () => {
  it('refuses a body without messages, naming the field', () => {
    expect(() => claude.decodeRequest({ model: 'm', max_tokens: 5 }, {})).toThrow(InvalidRequestError);
    expect(() => claude.decodeRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image', source: {} }] }] }, {})).toThrow(
      /messages\.0\.content\.0/,
    );
  });

  it('accepts document sources it cannot translate, but still refuses a broken base64 source', () => {
    const doc = { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'x' }] } };
    const ir = claude.decodeRequest({ model: 'm', messages: [{ role: 'user', content: [doc, { type: 'text', text: 'hi' }] }] }, {});
    expect(ir.messages[0].parts).toEqual([{ type: 'text', text: 'hi' }]);
    const broken = { type: 'image', source: { type: 'base64', media_type: 'image/png' } };
    expect(() => claude.decodeRequest({ model: 'm', messages: [{ role: 'user', content: [broken] }] }, {})).toThrow(InvalidRequestError);
  });

  it('takes the model from the route when the body has none and accepts unknown fields', () => {
    const ir = claude.decodeRequest({ messages: [{ role: 'user', content: 'x' }], brand_new_field: { a: 1 } }, { model: 'from-url' });
    expect(ir.model).toBe('from-url');
  });

  it('maps thinking disabled to reasoning off', () => {
    const ir = claude.decodeRequest({ model: 'm', messages: [], thinking: { type: 'disabled' } }, {});
    expect(ir.reasoning).toEqual({ enabled: false, effort: 'none' });
  });
});

describe('Claude request encoding', () => {
  it('defaults max_tokens and keeps the thinking budget below it', () => {
    expect(encode(base()).max_tokens).toBe(32000);
    expect(encode(base(), 'claude-3-5-haiku-20241022').max_tokens).toBe(8192);
    const body = encode(base({ reasoning: { enabled: true, budgetTokens: 40000 } }));
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 40000 });
    expect(body.max_tokens).toBe(44096);
    const capped = encode(base({ maxOutputTokens: 5000, reasoning: { enabled: true, budgetTokens: 8000 } }));
    expect(capped).toMatchObject({ max_tokens: 5000, thinking: { type: 'enabled', budget_tokens: 4999 } });
    const tiny = encode(base({ maxOutputTokens: 500, reasoning: { enabled: true, effort: 'high' } }));
    expect(tiny.thinking).toBeUndefined();
  });

  it('raises budgets under Anthropic’s 1024 minimum and maps dynamic (-1) to a level budget', () => {
    expect(encode(base({ reasoning: { enabled: true, budgetTokens: 100 } })).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(encode(base({ reasoning: { enabled: true, budgetTokens: -1 } })).thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
  });

  it('uses adaptive thinking with effort on models that have it, and drops temperature/top_k with thinking on', () => {
    const body = encode(base({ reasoning: { enabled: true, effort: 'minimal' }, temperature: 0.2, topK: 3, topP: 0.96 }), 'claude-opus-4-6');
    expect(body).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' }, top_p: 0.96 });
    expect(body.temperature).toBeUndefined();
    expect(body.top_k).toBeUndefined();
    expect(encode(base({ reasoning: { enabled: true, effort: 'low' }, topP: 0.5 })).top_p).toBeUndefined();
  });

  it('sends temperature or top_p, never both, and turns JSON mode into an instruction', () => {
    expect(encode(base({ temperature: 0.3, topP: 0.5 }))).toMatchObject({ temperature: 0.3 });
    expect(encode(base({ temperature: 0.3, topP: 0.5 })).top_p).toBeUndefined();
    expect(encode(base({ topP: 0.5 })).top_p).toBe(0.5);
    const body = encode(base({ system: [{ type: 'text', text: 'S' }], responseFormat: { type: 'json-schema', schema: { type: 'object' } } }));
    expect(body.system).toEqual([
      { type: 'text', text: 'S' },
      { type: 'text', text: 'Respond with a single valid JSON value only, without prose or code fences, matching this JSON Schema:\n{"type":"object"}' },
    ]);
  });

  it('round-trips adaptive max effort for a Claude client', () => {
    const ir = claude.decodeRequest(
      { model: 'claude-opus-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'x' }], thinking: { type: 'adaptive' }, output_config: { effort: 'max' } },
      {},
    );
    expect(encode(ir, 'claude-opus-4-6')).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'max' } });
  });

  it('does not send reasoning-off or effort none as thinking', () => {
    expect(encode(base({ reasoning: { enabled: false, effort: 'none' } })).thinking).toBeUndefined();
  });

  it('merges consecutive same-role turns and puts tool results first in the user turn', () => {
    const body = encode(
      base({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'a' }] },
          { role: 'user', parts: [{ type: 'text', text: 'b' }] },
          { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' }] },
          { role: 'user', parts: [{ type: 'text', text: 'note' }] },
          { role: 'tool', parts: [{ type: 'tool-result', callId: 'c1', content: [{ type: 'text', text: 'r' }] }] },
        ],
      }),
    );
    const messages = body.messages as Array<{ role: string; content: Array<{ type: string }> }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[0].content).toHaveLength(2);
    expect(messages[2].content.map((b) => b.type)).toEqual(['tool_result', 'text']);
  });

  it('sanitises tool ids the same way on tool_use and tool_result', () => {
    expect(sanitizeClaudeToolId('call:abc/1.2')).toBe('call_abc_1_2');
    const body = encode(
      base({
        messages: [
          { role: 'assistant', parts: [{ type: 'tool-call', id: 'fn.get:0', name: 'f', arguments: '{}' }] },
          { role: 'tool', parts: [{ type: 'tool-result', callId: 'fn.get:0', content: [] }] },
        ],
      }),
    );
    const [a, u] = body.messages as Array<{ content: Array<Record<string, unknown>> }>;
    expect(a.content[0].id).toBe('fn_get_0');
    expect(u.content[0].tool_use_id).toBe('fn_get_0');
  });

  it('maps tool_choice none and a lone disable-parallel flag', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    expect(encode(base({ tools, toolChoice: { type: 'none' } })).tool_choice).toEqual({ type: 'none' });
    expect(encode(base({ tools, parallelToolCalls: false })).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(encode(base({ toolChoice: { type: 'required' } })).tool_choice).toBeUndefined();
  });
});

describe('thinking signatures (multi-turn regression)', () => {
  const history = (signature?: string) => ({
    model: 'm',
    max_tokens: 5000,
    thinking: { type: 'enabled', budget_tokens: 2000 },
    messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'from elsewhere', ...(signature === undefined ? {} : { signature }) }, { type: 'text', text: 'a' }] },
      { role: 'user', content: 'q2' },
    ],
  });

  it('drops thinking whose proof is not Anthropic’s before it reaches Claude', () => {
    for (const sig of [undefined, '', 'gAAAAABoEncryptedByOpenAI', 'skip_thought_signature_validator']) {
      const body = encode(claude.decodeRequest(history(sig), {}));
      expect((body.messages as Array<{ content: Array<{ type: string }> }>)[1].content).toEqual([{ type: 'text', text: 'a' }]);
    }
    const kept = encode(claude.decodeRequest(history('EqQBCkYIARgC'), {}));
    expect((kept.messages as Array<{ content: Array<{ type: string }> }>)[1].content[0]).toEqual({ type: 'thinking', thinking: 'from elsewhere', signature: 'EqQBCkYIARgC' });
  });

  it('tells the passthrough path when a body must be re-encoded instead of forwarded', () => {
    expect(hasForeignThinking(history(''))).toBe(true);
    expect(hasForeignThinking(history('gAAAAABx'))).toBe(true);
    expect(hasForeignThinking(history('EqQBCkYIARgC'))).toBe(false);
    expect(hasForeignThinking({ messages: 'nonsense' })).toBe(false);
  });
});

describe('Claude errors', () => {
  it('encodes neutral errors in Anthropic’s shape', () => {
    expect(claude.encodeError({ status: 429, message: 'slow down', kind: 'rate_limit' })).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'slow down' },
    });
    expect(claude.encodeError({ status: 502, message: 'x' })).toEqual({ type: 'error', error: { type: 'api_error', message: 'x' } });
    expect(claude.encodeStreamError({ status: 500, message: 'boom' })).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"boom"}}\n\n',
    );
  });

  it('decodes Anthropic, OpenAI-style and plain-text upstream errors', () => {
    expect(claude.decodeError(upstreamError(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))).toEqual({
      status: 529,
      message: 'Overloaded',
      kind: 'overloaded',
      code: 'overloaded_error',
    });
    expect(claude.decodeError(upstreamError(401, '{"error":{"message":"bad key","type":"invalid_api_key"}}'))).toMatchObject({ message: 'bad key', kind: 'authentication' });
    expect(claude.decodeError(upstreamError(502, '<html>Bad gateway</html>'))).toEqual({ status: 502, message: '<html>Bad gateway</html>', kind: 'upstream' });
  });
});

describe('Claude usage sniffing (passthrough)', () => {
  it('reads usage from message_start and message_delta only, and merges by spread into the full picture', () => {
    const start = { event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { usage: { input_tokens: 5, cache_read_input_tokens: 10, output_tokens: 1 } } }) };
    expect(claude.sniffUsage?.(start)).toEqual({ inputTokens: 15, outputTokens: 1, cachedInputTokens: 10 });
    const delta = { event: 'message_delta', data: '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}' };
    expect(claude.sniffUsage?.(delta)).toEqual({ outputTokens: 42 });
    // What the passthrough relay does with successive results:
    expect({ ...claude.sniffUsage?.(start), ...claude.sniffUsage?.(delta) }).toEqual({ inputTokens: 15, outputTokens: 42, cachedInputTokens: 10 });
    expect(claude.sniffUsage?.({ event: 'content_block_delta', data: '{"usage":1}' })).toBeUndefined();
    expect(claude.sniffUsage?.({ event: 'ping', data: '{}' })).toBeUndefined();
  });
});

describe('hostile stream data', () => {
  it('ignores __proto__ keys and garbage without polluting prototypes', () => {
    const dec = claude.createStreamDecoder();
    const parts = [
      ...dec.push({ event: 'message_start', data: '{"type":"message_start","__proto__":{"polluted":true},"message":{"id":"m","usage":{"input_tokens":1}}}' }),
      ...dec.push({ event: 'content_block_delta', data: 'not json' }),
      ...dec.push({ event: 'mystery', data: '{}' }),
      ...dec.end(),
    ];
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parts.map((p) => p.type)).toEqual(['start', 'usage', 'finish']);
  });
});

describe('Claude count_tokens helpers', () => {
  it('decodes a count_tokens body, builds the upstream body and both answers', () => {
    const ir = decodeCountTokensRequest({ model: 'claude-x', system: 'S', messages: [{ role: 'user', content: 'hi' }] });
    expect(ir.system).toEqual([{ type: 'text', text: 'S' }]);
    expect(encodeCountTokensRequest(ir, { upstreamModel: 'claude-up' })).toEqual({
      model: 'claude-up',
      system: [{ type: 'text', text: 'S' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
    expect(encodeCountTokensResponse(17)).toEqual({ input_tokens: 17 });
    expect(decodeCountTokensResponse({ input_tokens: 9 })).toBe(9);
    expect(() => decodeCountTokensResponse({})).toThrow();
  });
});
