import fc from 'fast-check';
import type { RouteId } from '../../../src-main/engine/server/route-table';
import { MODEL } from './routes';

/**
 * Request bodies for the fuzz run: mostly near-valid requests of each inbound format (so they
 * travel through decoding, translation and the upstream call), plus arbitrary JSON, arbitrary
 * values and byte-level damage of valid bodies.
 */

const str = fc.string({ maxLength: 40 });
const junk = fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: false, withBigInt: false, withDate: false, withMap: false, withSet: false, withTypedArray: false, withSparseArray: false, withBoxedValues: false });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary: a }, { weight: 1, arbitrary: junk });
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const model = fc.oneof({ weight: 8, arbitrary: fc.constant(MODEL) }, { weight: 1, arbitrary: str }, { weight: 1, arbitrary: junk });
const role = fc.oneof(fc.constantFrom('user', 'assistant', 'system', 'developer', 'tool', 'model', 'function'), str);
const url = fc.oneof(fc.constant('data:image/png;base64,iVBORw0KGgo='), fc.constant('https://example.com/a.png'), str);
const schema = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'null') }),
    fc.record({ type: fc.constant('object'), properties: fc.dictionary(str, tie('node'), { maxKeys: 3 }), required: optional(fc.array(str, { maxLength: 2 })) }),
    fc.record({ type: fc.constant('array'), items: tie('node') }),
    fc.record({ anyOf: fc.array(tie('node'), { maxLength: 2 }) }),
    junk,
  ),
})).node;

const openaiPart = fc.oneof(
  fc.record({ type: fc.constant('text'), text: maybe(str) }),
  fc.record({ type: fc.constant('image_url'), image_url: maybe(fc.record({ url, detail: optional(fc.constantFrom('low', 'high', 'auto')) })) }),
  fc.record({ type: str, text: optional(str) }),
);
const toolCall = fc.record({ id: maybe(str), type: fc.constant('function'), function: maybe(fc.record({ name: maybe(str), arguments: maybe(fc.oneof(fc.json(), str)) })) });
const chatMessage = fc.record(
  { role, content: maybe(fc.oneof(str, fc.array(openaiPart, { maxLength: 3 }), fc.constant(null))), tool_calls: optional(fc.array(toolCall, { maxLength: 2 })), tool_call_id: optional(str), name: optional(str) },
  { requiredKeys: ['role'] },
);
const openaiTool = fc.record({ type: fc.constant('function'), function: maybe(fc.record({ name: maybe(str), description: optional(str), parameters: optional(schema) })) });
const common = {
  model,
  stream: optional(maybe(fc.boolean())),
  max_tokens: optional(maybe(fc.integer({ min: -5, max: 100_000 }))),
  temperature: optional(maybe(fc.double({ noNaN: true, min: -2, max: 5 }))),
};

const chat = fc.record({ ...common, messages: maybe(fc.array(chatMessage, { maxLength: 4 })), tools: optional(fc.array(openaiTool, { maxLength: 2 })), tool_choice: optional(maybe(fc.constantFrom('auto', 'none', 'required'))), stream_options: optional(junk), response_format: optional(junk), n: optional(maybe(fc.integer({ min: 0, max: 3 }))) }, { requiredKeys: ['model', 'messages'] });
const completions = fc.record({ ...common, prompt: maybe(fc.oneof(str, fc.array(str, { maxLength: 3 }))), suffix: optional(str), echo: optional(maybe(fc.boolean())) }, { requiredKeys: ['model', 'prompt'] });
const responsesItem = fc.oneof(
  fc.record({ role, content: maybe(fc.oneof(str, fc.array(fc.record({ type: fc.constantFrom('input_text', 'output_text', 'input_image', 'refusal'), text: optional(str), image_url: optional(url) }), { maxLength: 3 }))) }),
  fc.record({ type: fc.constantFrom('function_call', 'function_call_output', 'reasoning', 'message'), call_id: optional(str), name: optional(str), arguments: optional(str), output: optional(maybe(str)), summary: optional(junk) }),
);
const responses = fc.record({ ...common, input: maybe(fc.oneof(str, fc.array(responsesItem, { maxLength: 4 }))), instructions: optional(maybe(str)), tools: optional(fc.array(fc.record({ type: fc.constantFrom('function', 'web_search', 'custom'), name: maybe(str), parameters: optional(schema) }), { maxLength: 2 })), reasoning: optional(junk), previous_response_id: optional(str), max_output_tokens: optional(maybe(fc.integer({ min: -1, max: 100_000 }))) }, { requiredKeys: ['model', 'input'] });
const claudeBlock = fc.oneof(
  fc.record({ type: fc.constant('text'), text: maybe(str) }),
  fc.record({ type: fc.constant('image'), source: maybe(fc.record({ type: fc.constantFrom('base64', 'url'), media_type: optional(str), data: optional(str), url: optional(url) })) }),
  fc.record({ type: fc.constant('tool_use'), id: maybe(str), name: maybe(str), input: junk }),
  fc.record({ type: fc.constant('tool_result'), tool_use_id: maybe(str), content: maybe(fc.oneof(str, fc.array(fc.record({ type: fc.constant('text'), text: str }), { maxLength: 2 }))), is_error: optional(fc.boolean()) }),
  fc.record({ type: fc.constant('thinking'), thinking: maybe(str), signature: optional(str) }),
  fc.record({ type: str }),
);
const claude = fc.record({ ...common, max_tokens: maybe(fc.integer({ min: -5, max: 100_000 })), system: optional(maybe(fc.oneof(str, fc.array(fc.record({ type: fc.constant('text'), text: str }), { maxLength: 2 })))), messages: maybe(fc.array(fc.record({ role: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('user', 'assistant') }, { weight: 1, arbitrary: str }), content: maybe(fc.oneof(str, fc.array(claudeBlock, { maxLength: 3 }))) }), { maxLength: 4 })), tools: optional(fc.array(fc.record({ name: maybe(str), description: optional(str), input_schema: maybe(schema) }), { maxLength: 2 })), tool_choice: optional(junk), thinking: optional(maybe(fc.record({ type: fc.constantFrom('enabled', 'disabled', 'adaptive'), budget_tokens: optional(fc.integer({ min: -1, max: 50_000 })) }))) }, { requiredKeys: ['model', 'messages', 'max_tokens'] });
const geminiPart = fc.oneof(
  fc.record({ text: maybe(str) }),
  fc.record({ inlineData: maybe(fc.record({ mimeType: maybe(str), data: maybe(str) })) }),
  fc.record({ functionCall: maybe(fc.record({ name: maybe(str), args: junk })) }),
  fc.record({ functionResponse: maybe(fc.record({ name: maybe(str), response: junk })) }),
  fc.record({ thought: optional(fc.boolean()), text: optional(str), thoughtSignature: optional(str) }),
);
const gemini = fc.record({
  contents: maybe(fc.array(fc.record({ role: optional(fc.oneof(fc.constantFrom('user', 'model', 'function'), str)), parts: maybe(fc.array(geminiPart, { maxLength: 3 })) }), { maxLength: 4 })),
  systemInstruction: optional(maybe(fc.record({ parts: fc.array(fc.record({ text: str }), { maxLength: 2 }) }))),
  tools: optional(fc.array(fc.record({ functionDeclarations: maybe(fc.array(fc.record({ name: maybe(str), description: optional(str), parameters: optional(schema) }), { maxLength: 2 })) }), { maxLength: 2 })),
  generationConfig: optional(maybe(fc.record({ maxOutputTokens: optional(maybe(fc.integer({ min: -1, max: 100_000 }))), temperature: optional(fc.double({ noNaN: true })), thinkingConfig: optional(junk), responseMimeType: optional(str), responseSchema: optional(schema) }))),
  model: optional(model),
});
const embeddings = fc.record({ model, input: maybe(fc.oneof(str, fc.array(str, { maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 5 }), fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 3 }), { maxLength: 3 }))), encoding_format: optional(maybe(fc.constantFrom('float', 'base64'))), dimensions: optional(maybe(fc.integer({ min: -1, max: 4096 }))), user: optional(str) }, { requiredKeys: ['model', 'input'] });

const structured: Partial<Record<RouteId, fc.Arbitrary<unknown>>> = {
  'openai-chat': chat,
  'openai-completions': completions,
  'openai-responses': responses,
  'claude-messages': claude,
  'claude-count-tokens': claude,
  'gemini-generate': gemini,
  'gemini-stream-generate': gemini,
  'gemini-count-tokens': gemini,
  'openai-embeddings': embeddings,
};

export const FUZZED_ROUTES = Object.keys(structured) as RouteId[];

/** Damage a valid body the way broken clients and proxies do: cut it, flip a byte, splice junk. */
const damaged = (valid: fc.Arbitrary<unknown>) =>
  fc.tuple(valid, fc.nat(), fc.constantFrom('cut', 'flip', 'splice'), fc.string({ maxLength: 4 })).map(([v, n, how, s]) => {
    const text = JSON.stringify(v) ?? '';
    const i = text.length ? n % text.length : 0;
    if (how === 'cut') return text.slice(0, i);
    if (how === 'flip') return text.slice(0, i) + String.fromCharCode((text.charCodeAt(i) ^ 0x20) & 0x7f) + text.slice(i + 1);
    return text.slice(0, i) + s + text.slice(i);
  });

/** Body text for a route: 70 % structured, 10 % damaged, 10 % arbitrary JSON, 10 % arbitrary values. */
export function bodyArbitrary(id: RouteId): fc.Arbitrary<string> {
  const s = structured[id];
  if (!s) throw new Error(`no fuzz model for ${id}`);
  return fc.oneof(
    { weight: 7, arbitrary: s.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: damaged(s) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 1, arbitrary: junk.map((v) => JSON.stringify(v) ?? '') },
  );
}
