import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { GoogleGenAI, type Content } from '@google/genai';
import OpenAI from 'openai';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario as StepScenario } from '../fakes/upstreams/claude-upstream';
import { geminiClient, geminiConfig } from './clients/gemini';
import { openaiResponsesClient, responsesParams } from './clients/openai-responses';
import type { ClientError, ClientResult } from './clients/types';
import { newTag, tagged, WEATHER_TOOL, type NeutralRequest } from './scenarios';
import type { SeenRequest, World } from './world';
import { startWorld } from './world';

/**
 * Thinking signatures on multi-turn conversations (PROTOCOLS.md §10 item 7, "Invalid signature in
 * thinking block"): Claude's signatures come back to Claude byte-exact whatever the client format,
 * and a signature Claude did not make never reaches Claude.
 */

const CLAUDE_SIG = 'EqRealClaudeSig1==';
const THOUGHT = 'Let me check the weather tool.';
const RESULT = '18C and sunny';

let w: World;
beforeAll(async () => {
  w = await startWorld();
  // Turn 1: thinking + a tool call; turn 2 (after the tool result): text.
  const turn = (req: SeenRequest, first: StepScenario): StepScenario => (req.raw.includes(RESULT) ? { steps: [{ type: 'text', text: 'Sunny.' }] } : first);
  w.custom.set('sig', {
    claude: (req) =>
      turn(req, { steps: [{ type: 'thinking', text: THOUGHT, chunks: 2, signature: CLAUDE_SIG }, { type: 'tool', id: 'toolu_s1', name: 'get_weather', args: '{"city":"Paris"}' }] }),
    gemini: (req) =>
      turn(req, {
        steps: [
          { type: 'thinking', text: THOUGHT, signature: 'gem-sig-thought' },
          { type: 'tool', name: 'get_weather', args: '{"city":"Paris"}', thoughtSignature: 'gem-sig-call' },
        ],
      }),
    responses: (req) =>
      req.raw.includes(RESULT)
        ? { text: ['Sunny.'] }
        : { reasoning: [THOUGHT], toolCalls: [{ id: 'call_r1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
  });
});
afterAll(async () => {
  await w?.close();
});

const MODES = [false, true];
const mode = (s: boolean) => (s ? 'stream' : 'non-stream');
const firstTurn = (tag: string): NeutralRequest => tagged({ turns: [{ role: 'user', text: 'Weather in Paris?' }], tools: [WEATHER_TOOL], maxTokens: 4096, reasoning: true }, tag);

function ok(out: ClientResult | ClientError): ClientResult {
  if (!out.ok) throw new Error(`client error ${out.status ?? 'in-stream'}: ${out.message}`);
  return out;
}

/** Thinking blocks in the assistant turns of a Claude upstream request. */
function thinkingBlocks(req: SeenRequest): Array<{ type: string; thinking?: string; signature?: string }> {
  const msgs = (req.body.messages ?? []) as MessageParam[];
  return msgs
    .filter((m) => m.role === 'assistant' && Array.isArray(m.content))
    .flatMap((m) => (m.content as Array<{ type: string; thinking?: string; signature?: string }>).filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking'));
}

const anthropic = () => new Anthropic({ baseURL: w.url, apiKey: 'k', maxRetries: 0 });

/** Turn 2 from a Claude client: the assistant turn exactly as received, then the tool result. */
async function claudeTurn2(model: string, tag: string, assistant: ContentBlockParam[], toolId: string, stream: boolean): Promise<void> {
  const params = {
    model,
    max_tokens: 4096,
    thinking: { type: 'enabled' as const, budget_tokens: 2048 },
    tools: [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters as { type: 'object' } }],
    messages: [
      { role: 'user' as const, content: `Weather in Paris? ${tag}` },
      { role: 'assistant' as const, content: assistant },
      { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: toolId, content: RESULT }] },
    ],
  };
  const msg = stream ? await anthropic().messages.stream(params).finalMessage() : await anthropic().messages.create(params);
  expect(msg.content.map((b) => (b.type === 'text' ? b.text : b.type)).join('')).toBe('Sunny.');
}

async function claudeTurn1(model: string, tag: string, stream: boolean): Promise<ContentBlockParam[]> {
  const params = claudeClientParams(model, tag);
  const msg = stream ? await anthropic().messages.stream(params).finalMessage() : await anthropic().messages.create(params);
  // Sent back as received, the way Claude Code replays a turn.
  return msg.content as ContentBlockParam[];
}

function claudeClientParams(model: string, tag: string) {
  return {
    model,
    max_tokens: 4096,
    thinking: { type: 'enabled' as const, budget_tokens: 2048 },
    tools: [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters as { type: 'object' } }],
    messages: [{ role: 'user' as const, content: `Weather in Paris? ${tag}` }],
  };
}

describe('Claude client, Claude upstream: the signature round-trips byte-exact', () => {
  for (const stream of MODES) {
    it(mode(stream), async () => {
      const tag = newTag('sig');
      const assistant = await claudeTurn1('m-claude', tag, stream);
      const thinking = assistant.find((b) => b.type === 'thinking');
      expect(thinking).toMatchObject({ thinking: THOUGHT, signature: CLAUDE_SIG });
      const toolId = (assistant.find((b) => b.type === 'tool_use') as { id: string }).id;
      await claudeTurn2('m-claude', tag, assistant, toolId, stream);
      const up = w.seen('claude', tag).at(-1)!;
      expect(thinkingBlocks(up)).toEqual([{ type: 'thinking', thinking: THOUGHT, signature: CLAUDE_SIG }]);
      // Thinking stays the first block of its assistant turn, as Anthropic requires.
      const turn = ((up.body.messages as MessageParam[])[1].content as Array<{ type: string }>).map((b) => b.type);
      expect(turn).toEqual(['thinking', 'tool_use']);
    });
  }
});

describe('OpenAI Responses client, Claude upstream: encrypted_content carries the signature back', () => {
  for (const stream of MODES) {
    it(mode(stream), async () => {
      const tag = newTag('sig');
      const first = ok(await openaiResponsesClient.call(w.url, 'm-claude', firstTurn(tag), stream));
      expect(first.signatures).toEqual([CLAUDE_SIG]);
      expect(first.reasoning).toBe(THOUGHT);
      const call = first.toolCalls[0];
      const input: ResponseInputItem[] = [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: `Weather in Paris? ${tag}` }] },
        { type: 'reasoning', id: 'rs_client_1', summary: [{ type: 'summary_text', text: THOUGHT }], encrypted_content: CLAUDE_SIG },
        { type: 'function_call', call_id: call.id, name: call.name, arguments: JSON.stringify(call.args) },
        { type: 'function_call_output', call_id: call.id, output: RESULT },
      ];
      const oa = new OpenAI({ baseURL: `${w.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const res = await oa.responses.create({ ...responsesParams('m-claude', firstTurn(tag)), input });
      expect(res.output_text).toBe('Sunny.');
      expect(thinkingBlocks(w.seen('claude', tag).at(-1)!)).toEqual([{ type: 'thinking', thinking: THOUGHT, signature: CLAUDE_SIG }]);
    });
  }
});

describe('Gemini client, Claude upstream: the thought signature carries Claude\'s signature back', () => {
  for (const stream of MODES) {
    it(mode(stream), async () => {
      const tag = newTag('sig');
      const first = ok(await geminiClient.call(w.url, 'm-claude', firstTurn(tag), stream));
      expect(first.reasoning).toBe(THOUGHT);
      expect(first.signatures).toContain(CLAUDE_SIG);
      const contents: Content[] = [
        { role: 'user', parts: [{ text: `Weather in Paris? ${tag}` }] },
        { role: 'model', parts: [{ text: THOUGHT, thought: true, thoughtSignature: CLAUDE_SIG }, { functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: RESULT } } }] },
      ];
      const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: w.url } });
      const res = await ai.models.generateContent({ model: 'm-claude', contents, config: geminiConfig(firstTurn(tag)) });
      expect(res.text).toBe('Sunny.');
      expect(thinkingBlocks(w.seen('claude', tag).at(-1)!)).toEqual([{ type: 'thinking', thinking: THOUGHT, signature: CLAUDE_SIG }]);
    });
  }
});

describe('OpenAI Chat client, Claude upstream: unsigned reasoning_content never reaches Claude as thinking', () => {
  for (const stream of MODES) {
    it(mode(stream), async () => {
      const tag = newTag('sig');
      const oa = new OpenAI({ baseURL: `${w.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const tools = [{ type: 'function' as const, function: { name: WEATHER_TOOL.name, parameters: WEATHER_TOOL.parameters } }];
      const base = { model: 'm-claude', tools, reasoning_effort: 'medium' as const, max_tokens: 4096 };
      const first = stream
        ? await oa.chat.completions.stream({ ...base, messages: [{ role: 'user', content: `Weather in Paris? ${tag}` }] }).finalChatCompletion()
        : await oa.chat.completions.create({ ...base, messages: [{ role: 'user', content: `Weather in Paris? ${tag}` }] });
      const msg = first.choices[0].message;
      // DeepSeek-style clients send reasoning_content back on the assistant turn.
      const assistant = { role: 'assistant' as const, content: null, tool_calls: msg.tool_calls, reasoning_content: THOUGHT };
      await oa.chat.completions.create({
        ...base,
        messages: [{ role: 'user', content: `Weather in Paris? ${tag}` }, assistant, { role: 'tool', tool_call_id: msg.tool_calls![0].id, content: RESULT }],
      });
      // Either the engine remembers Claude's own signature for that thinking, or it sends none.
      for (const b of thinkingBlocks(w.seen('claude', tag).at(-1)!)) expect(b).toEqual({ type: 'thinking', thinking: THOUGHT, signature: CLAUDE_SIG });
    });
  }
});

describe('foreign signatures never reach Claude when a conversation moves there', () => {
  for (const from of ['m-gemini', 'm-responses'] as const) {
    for (const stream of MODES) {
      // Through the translating path (a thinking suffix turns passthrough off) the encoder drops them.
      it(`turn 1 on ${from}, turn 2 on m-claude(high) (${mode(stream)})`, async () => {
        const tag = newTag('sig');
        const assistant = await claudeTurn1(from, tag, stream);
        const toolId = (assistant.find((b) => b.type === 'tool_use') as { id: string }).id;
        await claudeTurn2('m-claude(high)', tag, assistant, toolId, stream);
        const up = w.seen('claude', tag).at(-1)!;
        expect(thinkingBlocks(up)).toEqual([]);
        expect(up.raw).not.toContain('gAAAAA');
        expect(up.raw).not.toContain('gem-sig');
      });
      // BUG: Claude client → Claude upstream is same-format passthrough, and the passthrough
      // condition in src-main/engine/pipeline/attempt.ts (`const passthrough = …`) never consults
      // hasForeignThinking (protocols/claude-messages/signatures.ts), so thinking blocks signed ''
      // (from Gemini) or 'gAAAAA…' (Codex encrypted_content) are forwarded to Anthropic, which
      // answers 400 "Invalid signature in thinking block". The translating path (test above) drops them.
      it(`turn 1 on ${from}, turn 2 on m-claude (${mode(stream)})`, async () => {
        const tag = newTag('sig');
        const assistant = await claudeTurn1(from, tag, stream);
        expect(assistant.find((b) => b.type === 'thinking')).toMatchObject({ thinking: THOUGHT });
        const toolId = (assistant.find((b) => b.type === 'tool_use') as { id: string }).id;
        await claudeTurn2('m-claude', tag, assistant, toolId, stream);
        const up = w.seen('claude', tag).at(-1)!;
        expect(thinkingBlocks(up)).toEqual([]);
        expect(up.raw).not.toContain('gAAAAA');
        expect(up.raw).not.toContain('gem-sig');
      });
    }
  }
});

describe('signatures go back to the upstream that made them', () => {
  for (const stream of MODES) {
    it(`Gemini's functionCall thought signature, Claude client (${mode(stream)})`, async () => {
      const tag = newTag('sig');
      const assistant = await claudeTurn1('m-gemini', tag, stream);
      const toolId = (assistant.find((b) => b.type === 'tool_use') as { id: string }).id;
      await claudeTurn2('m-gemini', tag, assistant, toolId, stream);
      const up = w.seen('gemini', tag).at(-1)!;
      const model = (up.body.contents as Content[]).find((c) => c.role === 'model')!;
      const call = model.parts!.find((p) => p.functionCall)!;
      // The real signature when the engine kept it; Gemini's validator-skip sentinel otherwise. Never a foreign one.
      expect(['gem-sig-call', 'skip_thought_signature_validator']).toContain(call.thoughtSignature);
    });
    it(`Codex encrypted reasoning, Claude client (${mode(stream)})`, async () => {
      const tag = newTag('sig');
      const assistant = await claudeTurn1('m-responses', tag, stream);
      const toolId = (assistant.find((b) => b.type === 'tool_use') as { id: string }).id;
      await claudeTurn2('m-responses', tag, assistant, toolId, stream);
      const up = w.seen('openai-responses', tag).at(-1)!;
      const items = up.body.input as Array<{ type?: string; encrypted_content?: string }>;
      expect(items.filter((i) => i.type === 'reasoning').map((i) => i.encrypted_content)).toEqual(['gAAAAAfake-encrypted']);
    });
  }
});
