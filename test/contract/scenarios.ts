/**
 * The contract matrix's shared vocabulary: one neutral request and one neutral upstream reply per
 * scenario. Client adapters (clients/*.ts) turn the request into each SDK's call; `fake-scripts.ts`
 * turns the reply into each fake upstream's script; `upstream-view.ts` reads back what each fake
 * received. Every scenario carries a tag in its first user text, so the fakes pick the scenario from
 * the request itself and tests find their own upstream requests even when they run side by side.
 */

export interface NeutralToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type NeutralTurn =
  | { role: 'user'; text: string; image?: { mime: string; base64: string } }
  | { role: 'assistant'; text?: string; toolCalls?: NeutralToolCall[] }
  | { role: 'tool'; results: Array<{ id: string; name: string; content: string }> };

export interface NeutralTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface NeutralRequest {
  system?: string;
  turns: NeutralTurn[];
  tools?: NeutralTool[];
  maxTokens: number;
  /** Sampling knobs (the Responses API has no stop sequences: its client leaves `stop` out). */
  sampling?: { temperature: number; topP: number; stop: string[] };
  /** Structured output (Claude clients have no standard field for it and leave it out). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  /** `required`: the model must call a tool (Chat `required`, Claude `any`, Gemini `ANY`). */
  toolChoice?: 'required';
  /** Ask for reasoning in the client's own terms (effort `medium`, budget 2048, includeThoughts). */
  reasoning?: boolean;
}

export type NeutralFinish = 'stop' | 'length' | 'tool_calls';

export interface ReplyToolCall {
  /** Upstream call id; absent: the engine synthesises one (Gemini upstreams never send ids). */
  id?: string;
  name: string;
  /** Arguments JSON text, streamed in these pieces. */
  argChunks: string[];
}

export interface NeutralReply {
  reasoning?: string[];
  text?: string[];
  toolCalls?: ReplyToolCall[];
  finish: NeutralFinish;
  usage: { input: number; output: number };
  /** Upstream answers this HTTP status before any byte. */
  errorStatus?: number;
  /** Upstream fails inside the stream after the text pieces. */
  midStreamError?: string;
  /** Framing quirks as recorded traffic shows them (applied where a fake supports them). */
  quirks?: {
    crlf?: boolean;
    splitUtf8?: boolean;
    oneChunkTools?: boolean;
    emptyChoices?: boolean;
    pings?: boolean;
    /** Chat: reasoning deltas in `reasoning` (OpenRouter, vLLM) instead of `reasoning_content`. */
    reasoningField?: 'reasoning';
    /** Responses: whole items in output_item.done, no deltas (some gateways). */
    itemsWithoutDeltas?: boolean;
    /** Gemini: usage in a chunk of its own after the finish chunk. */
    usageSeparate?: boolean;
  };
}

export interface ContractScenario {
  id: string;
  title: string;
  request: NeutralRequest;
  reply: NeutralReply;
}

/** 1×1 transparent PNG. */
export const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export const WEATHER_TOOL: NeutralTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
export const TIME_TOOL: NeutralTool = {
  name: 'get_time',
  description: 'Current time in a time zone',
  parameters: { type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] },
};

const USAGE = { input: 11, output: 7 };

/** Split a JSON text into many small pieces, as upstreams stream tool arguments. */
export function pieces(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export const SCENARIOS: ContractScenario[] = [
  {
    id: 'plain',
    title: 'plain text',
    request: { turns: [{ role: 'user', text: 'Say hello' }], maxTokens: 64 },
    // A multi-byte character split across TCP writes and CRLF line endings, as seen on the wire.
    reply: { text: ['Hel', 'lo ✓ wörld'], finish: 'stop', usage: USAGE, quirks: { crlf: true, splitUtf8: true, pings: true } },
  },
  {
    id: 'system',
    title: 'system prompt',
    request: { system: 'You are terse.', turns: [{ role: 'user', text: 'Greet me' }], maxTokens: 64 },
    reply: { text: ['Hi.'], finish: 'stop', usage: USAGE, quirks: { emptyChoices: true } },
  },
  {
    id: 'multi-turn',
    title: 'multi-turn',
    request: {
      turns: [
        { role: 'user', text: 'My name is Ada.' },
        { role: 'assistant', text: 'Nice to meet you, Ada.' },
        { role: 'user', text: 'What is my name?' },
      ],
      maxTokens: 64,
    },
    reply: { text: ['Your name ', 'is Ada.'], finish: 'stop', usage: USAGE, quirks: { usageSeparate: true } },
  },
  {
    id: 'tool-call',
    title: 'one tool call',
    request: { turns: [{ role: 'user', text: 'Weather in Paris?' }], tools: [WEATHER_TOOL], toolChoice: 'required', maxTokens: 64 },
    reply: {
      toolCalls: [{ id: 'call_w1', name: 'get_weather', argChunks: pieces('{"city":"Paris"}') }],
      finish: 'tool_calls',
      usage: USAGE,
    },
  },
  {
    id: 'parallel-tools',
    title: 'parallel tool calls',
    request: { turns: [{ role: 'user', text: 'Weather and time in Paris?' }], tools: [WEATHER_TOOL, TIME_TOOL], maxTokens: 64 },
    reply: {
      // Text before the calls, as Claude and GPT often answer.
      text: ['Checking ', 'both.'],
      toolCalls: [
        { id: 'call_p1', name: 'get_weather', argChunks: pieces('{"city":"Paris"}', 3) },
        { id: 'call_p2', name: 'get_time', argChunks: pieces('{"tz":"Europe/Paris"}', 5) },
      ],
      finish: 'tool_calls',
      usage: USAGE,
      quirks: { oneChunkTools: true },
    },
  },
  {
    id: 'tool-call-no-id',
    title: 'tool call without an upstream id',
    request: { turns: [{ role: 'user', text: 'Weather in Rome?' }], tools: [WEATHER_TOOL], maxTokens: 64 },
    reply: {
      // Multi-byte characters inside split arguments, cut again across TCP writes.
      toolCalls: [{ name: 'get_weather', argChunks: pieces('{"city":"Zürich ✓"}', 3) }],
      finish: 'tool_calls',
      usage: USAGE,
      quirks: { splitUtf8: true, crlf: true },
    },
  },
  {
    id: 'tool-result',
    title: 'tool result follow-up',
    request: {
      tools: [WEATHER_TOOL],
      turns: [
        { role: 'user', text: 'Weather in Paris?' },
        { role: 'assistant', toolCalls: [{ id: 'call_prev1', name: 'get_weather', args: { city: 'Paris' } }] },
        { role: 'tool', results: [{ id: 'call_prev1', name: 'get_weather', content: '18C and sunny' }] },
      ],
      maxTokens: 64,
    },
    reply: { text: ['It is 18C ', 'and sunny.'], finish: 'stop', usage: USAGE },
  },
  {
    id: 'image',
    title: 'image input',
    request: { turns: [{ role: 'user', text: 'What is in this image?', image: { mime: 'image/png', base64: PNG_1PX } }], maxTokens: 64 },
    reply: { text: ['A single pixel.'], finish: 'stop', usage: USAGE },
  },
  {
    id: 'reasoning',
    title: 'reasoning on',
    request: { turns: [{ role: 'user', text: 'Think: 2+2?' }], maxTokens: 4096, reasoning: true },
    reply: { reasoning: ['Two plus two ', 'is four.'], text: ['4'], finish: 'stop', usage: USAGE },
  },
  {
    id: 'reasoning-tool',
    title: 'reasoning then a tool call, gateway quirks',
    request: { turns: [{ role: 'user', text: 'Think, then check Paris' }], tools: [WEATHER_TOOL], maxTokens: 4096, reasoning: true },
    reply: {
      reasoning: ['I need ', 'the weather.'],
      toolCalls: [{ id: 'call_rt1', name: 'get_weather', argChunks: pieces('{"city":"Paris"}', 6) }],
      finish: 'tool_calls',
      usage: USAGE,
      quirks: { reasoningField: 'reasoning', itemsWithoutDeltas: true },
    },
  },
  {
    id: 'max-tokens',
    title: 'max-tokens stop',
    request: { turns: [{ role: 'user', text: 'Tell a long story' }], maxTokens: 5 },
    reply: { text: ['Once upon', ' a'], finish: 'length', usage: { input: 11, output: 5 } },
  },
  {
    id: 'sampling',
    title: 'temperature, top_p, stop sequences',
    request: { turns: [{ role: 'user', text: 'Count to five' }], maxTokens: 64, sampling: { temperature: 0.3, topP: 0.9, stop: ['END'] } },
    reply: { text: ['1 2 3'], finish: 'stop', usage: USAGE },
  },
  {
    id: 'json-schema',
    title: 'JSON schema output',
    request: {
      turns: [{ role: 'user', text: 'Answer as JSON' }],
      maxTokens: 64,
      jsonSchema: { name: 'answer', schema: { type: 'object', properties: { answer_text: { type: 'string' } }, required: ['answer_text'], additionalProperties: false } },
    },
    reply: { text: ['{"answer_text":', '"4"}'], finish: 'stop', usage: USAGE },
  },
  {
    id: 'error-429',
    title: 'upstream 429',
    request: { turns: [{ role: 'user', text: 'Hi' }], maxTokens: 64 },
    reply: { finish: 'stop', usage: USAGE, errorStatus: 429 },
  },
  {
    id: 'error-500',
    title: 'upstream 500',
    request: { turns: [{ role: 'user', text: 'Hi' }], maxTokens: 64 },
    reply: { finish: 'stop', usage: USAGE, errorStatus: 500 },
  },
  {
    id: 'error-400',
    title: 'upstream 400',
    request: { turns: [{ role: 'user', text: 'Hi' }], maxTokens: 64 },
    reply: { finish: 'stop', usage: USAGE, errorStatus: 400 },
  },
  {
    id: 'mid-stream-error',
    title: 'mid-stream error',
    request: { turns: [{ role: 'user', text: 'Hi' }], maxTokens: 64 },
    reply: { text: ['partial ', 'answer'], finish: 'stop', usage: USAGE, midStreamError: 'upstream overloaded mid-stream' },
  },
  {
    id: 'early-stream-error',
    title: 'stream error before any output',
    request: { turns: [{ role: 'user', text: 'Hi' }], maxTokens: 64 },
    reply: { finish: 'stop', usage: USAGE, midStreamError: 'upstream failed before any output' },
  },
];

export const scenarioById = (id: string): ContractScenario => {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};

let seq = 0;
/** A unique tag for one test run of a scenario: `[[scenario#n]]`. */
export function newTag(scenarioId: string): string {
  return `[[${scenarioId}#${++seq}-${process.pid}]]`;
}

const TAG_RE = /\[\[([a-z0-9-]+)#[0-9]+-[0-9]+\]\]/;
/** The scenario id and full tag carried in a raw upstream request body. */
export function tagIn(raw: string): { id: string; tag: string } | undefined {
  const m = TAG_RE.exec(raw);
  return m ? { id: m[1], tag: m[0] } : undefined;
}

/** The request with the tag appended to the first user text. */
export function tagged(req: NeutralRequest, tag: string): NeutralRequest {
  let done = false;
  const turns = req.turns.map((t) => {
    if (done || t.role !== 'user') return t;
    done = true;
    return { ...t, text: `${t.text} ${tag}` };
  });
  return { ...req, turns };
}
