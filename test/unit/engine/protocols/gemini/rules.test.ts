import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../../../../src-main/engine/ir';
import {
  decodeCountTokensRequest,
  decodeCountTokensResponse,
  encodeCountTokensRequest,
  encodeCountTokensResponse,
  geminiProtocol as gemini,
  unwrapCodeAssist,
  unwrapCodeAssistEvent,
  wrapCodeAssist,
} from '../../../../../src-main/engine/protocols/gemini';
import { claudeMessagesProtocol as claude } from '../../../../../src-main/engine/protocols/claude-messages';
import { InvalidRequestError } from '../../../../../src-main/engine/protocols/protocol';
import { parseSse } from '../claude-messages/golden';
import { upstreamError } from '../upstream-error';

const base = (over: Partial<IrRequest> = {}): IrRequest => ({
  model: 'm',
  stream: false,
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  ...over,
});
const encode = (req: IrRequest, model = 'gemini-2.5-flash') => gemini.encodeRequest(req, { upstreamModel: model, stream: false }).body as Record<string, any>;

describe('Gemini request decoding', () => {
  it('needs a model from the route and refuses malformed contents with a path', () => {
    expect(() => gemini.decodeRequest({ contents: [] }, {})).toThrow(/model/);
    expect(() => gemini.decodeRequest({ contents: [{ parts: [{ text: 5 }] }] }, { model: 'g' })).toThrow(InvalidRequestError);
  });

  it('round-trips the essentials Gemini → IR → Gemini', () => {
    const original = {
      systemInstruction: { parts: [{ text: 'sys' }] },
      contents: [
        { role: 'user', parts: [{ text: 'q' }] },
        { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'real-sig' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'OBJECT', properties: { a: { type: 'INTEGER' } } } }] }, { codeExecution: {} }],
      generationConfig: { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true }, temperature: 0 },
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
    };
    const body = encode(gemini.decodeRequest(original, { model: 'g' }));
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'q' }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'real-sig' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }] },
    ]);
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'integer' } } } }] }, { codeExecution: {} }]);
    expect(body.generationConfig).toEqual({ temperature: 0, thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } });
    expect(body.safetySettings).toEqual(original.safetySettings);
    expect(body.systemInstruction).toEqual({ role: 'user', parts: [{ text: 'sys' }] });
  });

  it('pairs functionResponses with calls by id, else by name in order', () => {
    const ir = gemini.decodeRequest(
      {
        contents: [
          { role: 'model', parts: [{ functionCall: { name: 'a', args: {} } }, { functionCall: { name: 'b', args: {} } }, { functionCall: { name: 'a', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'b', response: {} } }, { functionResponse: { name: 'a', response: {} } }, { functionResponse: { name: 'a', response: {} } }] },
        ],
      },
      { model: 'g' },
    );
    const callIds = ir.messages[0].parts.map((p) => (p.type === 'tool-call' ? p.id : ''));
    const resultIds = ir.messages[1].parts.map((p) => (p.type === 'tool-result' ? p.callId : ''));
    expect(resultIds).toEqual([callIds[1], callIds[0], callIds[2]]);
  });

  it('pairs a response carrying an id with a call that had none', () => {
    const ir = gemini.decodeRequest(
      { contents: [{ role: 'model', parts: [{ functionCall: { name: 'a' } }] }, { role: 'user', parts: [{ functionResponse: { id: 'client-id', name: 'a', response: {} } }] }] },
      { model: 'g' },
    );
    const call = ir.messages[0].parts[0];
    const result = ir.messages[1].parts[0];
    expect(call.type === 'tool-call' && result.type === 'tool-result' && result.callId === call.id).toBe(true);
  });
});

describe('Gemini client ⇄ Claude upstream thinking signatures', () => {
  it('joins streamed thought parts back into one signed block, so Claude accepts the next turn', () => {
    // Turn 1: a Claude upstream's thinking streamed to a Gemini client.
    const enc = gemini.createStreamEncoder({ clientModel: 'g' });
    const sse =
      enc.push({ type: 'start', id: 'r', model: 'm', created: 0 }) +
      enc.push({ type: 'reasoning-delta', text: 'First, ' }) +
      enc.push({ type: 'reasoning-delta', text: 'second.' }) +
      enc.push({ type: 'reasoning-signature', signature: 'Claude/Sig+==' }) +
      enc.push({ type: 'text-delta', text: 'Answer' }) +
      enc.push({ type: 'finish', reason: 'stop' }) +
      enc.end();
    // The client keeps every part of every chunk as the model turn.
    const modelParts = parseSse(sse).flatMap((e) => (e.data as { candidates: Array<{ content: { parts: unknown[] } }> }).candidates[0].content.parts);
    // Turn 2 goes to Claude.
    const ir = gemini.decodeRequest(
      { contents: [{ role: 'user', parts: [{ text: 'q' }] }, { role: 'model', parts: modelParts }, { role: 'user', parts: [{ text: 'more' }] }] },
      { model: 'g' },
    );
    const body = claude.encodeRequest(ir, { upstreamModel: 'claude-sonnet-4-5', stream: false }).body as { messages: Array<{ content: unknown[] }> };
    expect(body.messages[1].content).toEqual([
      { type: 'thinking', thinking: 'First, second.', signature: 'Claude/Sig+==' },
      { type: 'text', text: 'Answer' },
    ]);
  });
});

describe('Gemini request encoding', () => {
  it('names tool results after their call when the source format has only ids (Claude, OpenAI)', () => {
    const body = encode(
      base({
        messages: [
          { role: 'assistant', parts: [{ type: 'tool-call', id: 'toolu_1', name: 'read file', arguments: '{}' }] },
          { role: 'tool', parts: [{ type: 'tool-result', callId: 'toolu_1', content: [{ type: 'text', text: 'ok' }] }] },
        ],
        tools: [{ name: 'read file', parameters: { type: 'object' } }],
      }),
    );
    expect(body.contents[1].parts[0]).toEqual({ functionResponse: { name: 'read_file', response: { result: 'ok' } } });
    expect(gemini.encodeRequest(base({ tools: [{ name: 'read file', parameters: {} }] }), { upstreamModel: 'g', stream: false }).toolNames).toEqual(
      new Map([['read_file', 'read file']]),
    );
  });

  it('returns no toolNames map when nothing was renamed', () => {
    expect(gemini.encodeRequest(base({ tools: [{ name: 'ok_name', parameters: {} }] }), { upstreamModel: 'g', stream: false }).toolNames).toBeUndefined();
  });

  it('asks for thoughts whenever reasoning is on, in the model family’s own terms', () => {
    expect(encode(base({ reasoning: { enabled: true, effort: 'low' } })).generationConfig.thinkingConfig).toEqual({ thinkingBudget: 1024, includeThoughts: true });
    expect(encode(base({ reasoning: { enabled: true, effort: 'xhigh' } }), 'gemini-3-pro-preview').generationConfig.thinkingConfig).toEqual({
      thinkingLevel: 'high',
      includeThoughts: true,
    });
    expect(encode(base({ reasoning: { enabled: true, budgetTokens: -1 } }), 'gemini-3-pro-preview').generationConfig.thinkingConfig).toEqual({ includeThoughts: true });
    expect(encode(base({ reasoning: { enabled: false } })).generationConfig.thinkingConfig).toEqual({ thinkingBudget: 0, includeThoughts: false });
    expect(encode(base({ reasoning: { enabled: true, effort: 'medium', includeThoughts: false } })).generationConfig.thinkingConfig.includeThoughts).toBe(false);
    expect(encode(base()).generationConfig).toBeUndefined();
  });

  it('never sends reasoning parts (a foreign signature would be refused) and fills missing call signatures', () => {
    const body = encode(
      base({
        messages: [{ role: 'assistant', parts: [{ type: 'reasoning', text: 't', signature: 'claude-sig' }, { type: 'tool-call', id: 'x', name: 'f', arguments: '' }] }],
      }),
    );
    expect(body.contents).toEqual([{ role: 'model', parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' }] }]);
  });
});

describe('thought signatures on parallel calls', () => {
  it('returns a Gemini turn as it came: first call signed, the rest unsigned (no sentinel added)', () => {
    const turn = {
      role: 'model',
      parts: [
        { functionCall: { name: 'a', args: {} }, thoughtSignature: 'real' },
        { functionCall: { name: 'b', args: {} } },
      ],
    };
    const body = encode(gemini.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'q' }] }, turn] }, { model: 'g' }), 'gemini-3-pro-preview');
    expect(body.contents[1]).toEqual(turn);
  });
});

describe('Code Assist envelope', () => {
  it('wraps a request for gemini-cli and unwraps responses and stream events', () => {
    const wrapped = wrapCodeAssist(
      { model: 'drop-me', contents: [{ role: 'function', parts: [] }], system_instruction: { parts: [{ text: 's' }] }, safetySettings: [] },
      { model: 'gemini-2.5-pro', project: 'proj-1' },
    );
    expect(wrapped).toEqual({
      model: 'gemini-2.5-pro',
      project: 'proj-1',
      request: { contents: [{ role: 'user', parts: [] }], systemInstruction: { parts: [{ text: 's' }] }, safetySettings: [] },
    });
    expect(unwrapCodeAssist({ response: { candidates: [] }, traceId: 't' })).toEqual({ candidates: [] });
    expect(unwrapCodeAssist({ candidates: [] })).toEqual({ candidates: [] });
    expect(unwrapCodeAssistEvent({ data: '{"response":{"responseId":"r"}}' })).toEqual({ data: '{"responseId":"r"}' });
  });

  it('adds the Antigravity fields: request id, stable session id, no safety settings', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'first question' }] }], safetySettings: [{}] };
    const a = wrapCodeAssist(body, { model: 'claude-sonnet-4-5', project: 'p', userAgent: 'antigravity', requestType: 'agent' }) as Record<string, any>;
    const b = wrapCodeAssist(body, { model: 'claude-sonnet-4-5', project: 'p', userAgent: 'antigravity', requestType: 'agent' }) as Record<string, any>;
    expect(a).toMatchObject({ userAgent: 'antigravity', requestType: 'agent' });
    expect(a.requestId).toMatch(/^agent-[0-9a-f-]{36}$/);
    expect(a.request.safetySettings).toBeUndefined();
    expect(a.request.sessionId).toMatch(/^-\d+$/);
    expect(a.request.sessionId).toBe(b.request.sessionId);
  });
});

describe('Gemini countTokens helpers', () => {
  it('accepts both body forms and builds the full-request form upstream', () => {
    const plain = decodeCountTokensRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, { model: 'g' });
    const full = decodeCountTokensRequest(
      { generate_content_request: { model: 'models/g', contents: [{ role: 'user', parts: [{ text: 'hi' }] }], systemInstruction: { parts: [{ text: 's' }] } } },
      { model: 'g' },
    );
    expect(plain.messages).toEqual(full.messages);
    expect(full.system).toEqual([{ type: 'text', text: 's' }]);
    expect(encodeCountTokensRequest(full, { upstreamModel: 'gemini-2.5-pro' })).toEqual({
      generateContentRequest: {
        model: 'models/gemini-2.5-pro',
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        systemInstruction: { role: 'user', parts: [{ text: 's' }] },
      },
    });
    expect(encodeCountTokensResponse(12)).toEqual({ totalTokens: 12 });
    expect(decodeCountTokensResponse({ totalTokens: 3 })).toBe(3);
    expect(decodeCountTokensResponse({ response: { totalTokens: 4 } })).toBe(4);
  });
});

describe('Gemini errors and usage', () => {
  it('encodes and decodes the google.rpc shape, including the array form', () => {
    expect(gemini.encodeError({ status: 429, message: 'quota' })).toEqual({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } });
    expect(gemini.encodeStreamError({ status: 500, message: 'x' })).toBe('data: {"error":{"code":500,"message":"x","status":"INTERNAL"}}\n\n');
    const details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }];
    expect(gemini.decodeError(upstreamError(429, JSON.stringify([{ error: { code: 429, message: 'slow', status: 'RESOURCE_EXHAUSTED', details } }])))).toEqual({
      status: 429,
      message: 'slow',
      kind: 'rate_limit',
      code: 'RESOURCE_EXHAUSTED',
      details: { details },
    });
    expect(gemini.decodeError(upstreamError(503, 'upstream connect error'))).toEqual({ status: 503, message: 'upstream connect error', kind: 'overloaded' });
    expect(gemini.decodeError(upstreamError(400, { error: 'bad thing' }))).toEqual({ status: 400, message: 'bad thing', kind: 'invalid_request' });
  });

  it('sniffs usageMetadata from plain and Code Assist events', () => {
    const usage = { promptTokenCount: 3, candidatesTokenCount: 4, thoughtsTokenCount: 5, totalTokenCount: 12 };
    const expected = { inputTokens: 3, outputTokens: 9, reasoningTokens: 5, totalTokens: 12 };
    expect(gemini.sniffUsage?.({ data: JSON.stringify({ usageMetadata: usage }) })).toEqual(expected);
    expect(gemini.sniffUsage?.({ data: JSON.stringify({ response: { usageMetadata: usage } }) })).toEqual(expected);
    expect(gemini.sniffUsage?.({ data: '{"candidates":[]}' })).toBeUndefined();
  });
});
